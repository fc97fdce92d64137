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
		return pool + "|" + zeroPadded(seconds, 19) + "." + zeroPadded(acceptedAt.getNano(), 9) + "|" + jobId;
	}

	/**
	 * {@code value} (never negative) in decimal, left-padded with zeros to {@code width}:
	 * what {@code String.format("%0<width>d")} writes, in ASCII digits whatever the
	 * default locale, without a Formatter per key (issue 17: formatting the keys of the
	 * queue and the deadline index was 5% of an event).
	 */
	static String zeroPadded(long value, int width) {
		String digits = Long.toString(value);
		return (digits.length() >= width) ? digits : "0".repeat(width - digits.length()) + digits;
	}

	/**
	 * Prefix of every key of {@code pool}; pool names cannot contain '|', so pools never
	 * overlap.
	 */
	static String prefix(String pool) {
		return pool + "|";
	}

}
