package io.raylane.scheduler.topology;

import java.time.Duration;

/**
 * Issue 17: whether the scheduler commits its transaction right after a record instead of
 * at the next commit interval. Under exactly-once a decision is visible only once its
 * transaction commits, so a dispatch (or a job's end, which frees its GPUs) decided just
 * after a commit would wait up to a whole interval for nobody. A record that is fresh (it
 * reached the scheduler within {@code maxAge} of its timestamp) and produced such an
 * output asks Kafka Streams to commit after it. A record that is older means the
 * scheduler is behind: then commits stay at the interval, where one commit carries many
 * decisions, so a backlog is not worked off one transaction per record.
 *
 * @param maxAge how old a record may be and still have its decision committed at once;
 * null = never (commits only at the interval)
 */
record PromptCommit(Duration maxAge) {

	static PromptCommit never() {
		return new PromptCommit(null);
	}

	/**
	 * @param urgent whether the record produced a dispatch command or ended a job
	 * @param recordTimestampMs the input record's timestamp (its producer's clock)
	 * @param nowMs the scheduler's clock
	 */
	boolean wanted(boolean urgent, long recordTimestampMs, long nowMs) {
		return this.maxAge != null && urgent && nowMs - recordTimestampMs <= this.maxAge.toMillis();
	}

}
