package io.raylane.scheduler.topology;

import java.time.Instant;

import io.raylane.topics.job.JobView;

/**
 * Keys of the queue index store: {@code <pool>|<acceptedAt, fixed width>|<jobId>}. Their
 * byte order is the FIFO order ({@link io.raylane.scheduler.core.FifoOrder}), so a prefix
 * scan on {@code <pool>|} yields the pool's queue from its head and reading the first few
 * entries costs the same however long the queue is.
 */
final class QueueKeys {

	private QueueKeys() {
	}

	static String of(JobView view) {
		return of(view.pool(), view.submittedAt(), view.jobId());
	}

	static String of(String pool, Instant acceptedAt, String jobId) {
		// pre-1970 instants do not occur; clamping keeps the fixed width (and so the
		// order) intact
		long seconds = Math.max(0, acceptedAt.getEpochSecond());
		return String.format("%s|%019d.%09d|%s", pool, seconds, acceptedAt.getNano(), jobId);
	}

	/**
	 * Prefix of every key of {@code pool}; pool names cannot contain '|', so pools never
	 * overlap.
	 */
	static String prefix(String pool) {
		return pool + "|";
	}

}
