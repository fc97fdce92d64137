package io.raylane.api.usage;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.raylane.api.usage.JobUsage.Interval;

/**
 * The arithmetic of {@code GET /v1/usage}, plain Java: sums accounting intervals into
 * groups over a window. An interval inside {@code [from, to)} counts with its record's
 * {@code gpu_seconds}; one overlapping the window only partly counts pro rata,
 * {@code gpus × overlap seconds}; one outside does not count. Sums are kept in whole
 * GPU-milliseconds, so the total is exactly the sum of the groups and of the counted
 * records. The ledger has already deduplicated the records.
 */
final class UsageAggregator {

	private UsageAggregator() {
	}

	/**
	 * The groups of {@code jobs}' usage over {@code window}, by GPU-seconds descending,
	 * then key.
	 */
	static Totals aggregate(Iterable<JobUsage> jobs, GroupBy groupBy, UsageWindow window) {
		long from = window.from().toEpochMilli();
		long to = window.to().toEpochMilli();
		Map<String, Group> groups = new HashMap<>();
		for (JobUsage job : jobs) {
			if (!job.mayOverlap(from, to)) {
				continue;
			}
			Group sum = null;
			for (Interval interval : job.intervals()) {
				long gpuMillis = countedGpuMillis(interval, from, to);
				if (gpuMillis < 0) {
					continue;
				}
				if (sum == null) {
					sum = groups.computeIfAbsent(String.valueOf(groupBy.keyOf(job)), (key) -> new Group(key, job));
					sum.jobs++;
				}
				sum.add(interval, gpuMillis);
			}
		}
		List<Group> sorted = groups.values()
			.stream()
			.sorted(Comparator.comparingLong(Group::gpuMillis).reversed().thenComparing(Group::key))
			.toList();
		return new Totals(sorted.stream().mapToLong(Group::gpuMillis).sum(), sorted);
	}

	/**
	 * GPU-milliseconds of {@code interval} inside {@code [from, to)} (epoch
	 * milliseconds), or -1 when it does not fall in it. An empty interval (a final record
	 * cut at the end of the previous one) counts, with 0, when it starts inside.
	 */
	static long countedGpuMillis(Interval interval, long from, long to) {
		long start = interval.startMillis();
		long end = interval.endMillis();
		if (end <= start) {
			return (start >= from && start < to) ? 0 : -1;
		}
		if (start >= from && end <= to) {
			return interval.gpuMillis();
		}
		long overlap = Math.min(end, to) - Math.max(start, from);
		return (overlap > 0) ? interval.gpus() * overlap : -1;
	}

	/** GPU-seconds from GPU-milliseconds (millisecond precision). */
	static double seconds(long gpuMillis) {
		return gpuMillis / 1000.0;
	}

	/** GPU-hours from GPU-milliseconds. */
	static double hours(long gpuMillis) {
		return gpuMillis / 3_600_000.0;
	}

	/**
	 * The result of one aggregation.
	 *
	 * @param gpuMillis counted GPU-milliseconds over every group
	 * @param groups the groups, largest first
	 */
	record Totals(long gpuMillis, List<Group> groups) {

		int records() {
			return this.groups.stream().mapToInt(Group::records).sum();
		}

	}

	/**
	 * One group being summed; remembers its first job (for the job's user, pool and
	 * workload).
	 */
	static final class Group {

		private final String key;

		private final JobUsage first;

		private int jobs;

		private long gpuMillis;

		private int records;

		private double utilizationWeighted;

		private long utilizationGpuMillis;

		Group(String key, JobUsage first) {
			this.key = key;
			this.first = first;
		}

		void add(Interval interval, long counted) {
			this.gpuMillis += counted;
			this.records++;
			if (!Double.isNaN(interval.utilization())) {
				// weighted by the GPU time it describes
				this.utilizationWeighted += interval.utilization() * counted;
				this.utilizationGpuMillis += counted;
			}
		}

		String key() {
			return this.key;
		}

		long gpuMillis() {
			return this.gpuMillis;
		}

		int records() {
			return this.records;
		}

		int jobs() {
			return this.jobs;
		}

		JobUsage first() {
			return this.first;
		}

		/**
		 * Mean utilization weighted by GPU time, over the records that carry one; null
		 * when none does.
		 */
		Double avgGpuUtilization() {
			if (this.utilizationGpuMillis == 0) {
				return null;
			}
			return Math.round(this.utilizationWeighted / this.utilizationGpuMillis * 100.0) / 100.0;
		}

	}

}
