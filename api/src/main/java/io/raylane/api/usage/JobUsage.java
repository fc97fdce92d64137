package io.raylane.api.usage;

import java.time.Instant;
import java.util.Arrays;

import io.raylane.topics.events.GpuUsage;

/**
 * The accounting intervals of one job, as {@link UsageLedger} keeps them: the job's
 * owner, pool and workload once, and per interval only what a query needs
 * ({@link Interval}, ~60 bytes), sorted by interval index. One writer (the reader thread)
 * adds under the lock; request threads read the latest array without locking.
 */
final class JobUsage {

	private final String jobId;

	private final String user;

	private final String pool;

	private final String workload;

	private volatile Interval[] intervals = new Interval[0];

	private volatile long startMillis = Long.MAX_VALUE;

	private volatile long endMillis = Long.MIN_VALUE;

	JobUsage(String jobId, String user, String pool, String workload) {
		this.jobId = jobId;
		this.user = user;
		this.pool = pool;
		this.workload = workload;
	}

	/**
	 * Keeps the interval of {@code usage} unless one with its index is already kept (the
	 * first read wins).
	 * @return whether it was new
	 */
	synchronized boolean add(GpuUsage usage) {
		Interval[] current = this.intervals;
		int at = Arrays.binarySearch(current, Interval.of(usage));
		if (at >= 0) {
			return false;
		}
		int insert = -at - 1;
		Interval[] next = new Interval[current.length + 1];
		System.arraycopy(current, 0, next, 0, insert);
		next[insert] = Interval.of(usage);
		System.arraycopy(current, insert, next, insert + 1, current.length - insert);
		this.startMillis = Math.min(this.startMillis, next[insert].startMillis());
		this.endMillis = Math.max(this.endMillis, next[insert].endMillis());
		this.intervals = next;
		return true;
	}

	/**
	 * The kept intervals, by index; the array is never changed after it was published.
	 */
	Interval[] intervals() {
		return this.intervals;
	}

	/**
	 * Whether any interval may fall in {@code [from, to)} (an empty interval starting at
	 * {@code from} does).
	 */
	boolean mayOverlap(long fromMillis, long toMillis) {
		return this.endMillis >= fromMillis && this.startMillis < toMillis;
	}

	String jobId() {
		return this.jobId;
	}

	/** The end of its last interval, epoch ms ({@code Long.MIN_VALUE} while empty). */
	long endMillis() {
		return this.endMillis;
	}

	String user() {
		return this.user;
	}

	String pool() {
		return this.pool;
	}

	String workload() {
		return this.workload;
	}

	/**
	 * One accounting interval, reduced to what a usage query needs.
	 *
	 * @param index the interval index (the id is {@code <job id>/<index>})
	 * @param startMillis interval start, epoch milliseconds
	 * @param endMillis interval end, epoch milliseconds
	 * @param gpus GPUs held
	 * @param gpuMillis the record's {@code gpu_seconds} in GPU-milliseconds
	 * @param utilization the record's {@code avg_gpu_utilization}, NaN when it had none
	 */
	record Interval(long index, long startMillis, long endMillis, int gpus, long gpuMillis,
			double utilization) implements Comparable<Interval> {

		static Interval of(GpuUsage usage) {
			return new Interval(usage.intervalIndex(), millis(usage.intervalStart()), millis(usage.intervalEnd()),
					usage.gpus(), Math.round(usage.gpuSeconds() * 1000.0),
					(usage.avgGpuUtilization() != null) ? usage.avgGpuUtilization() : Double.NaN);
		}

		private static long millis(Instant instant) {
			return instant.toEpochMilli();
		}

		@Override
		public int compareTo(Interval other) {
			return Long.compare(this.index, other.index);
		}

	}

}
