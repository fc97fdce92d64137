package io.raylane.api.usage;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.raylane.topics.events.GpuUsage;

/**
 * The arithmetic of {@code GET /v1/usage}, plain Java: sums accounting records into groups over a window.
 * A record inside {@code [from, to)} counts with its {@code gpu_seconds}; a record overlapping it only partly
 * counts pro rata, {@code gpus × overlap seconds}; a record outside does not count. Sums are kept in whole
 * GPU-milliseconds, so the total is exactly the sum of the groups and of the counted records. Callers pass
 * each record once (the ledger deduplicates by id).
 */
final class UsageAggregator {

	private UsageAggregator() {
	}

	/** The groups of {@code records} over {@code window}, by GPU-seconds descending, then key. */
	static Totals aggregate(Iterable<GpuUsage> records, GroupBy groupBy, UsageWindow window) {
		Map<String, Group> groups = new HashMap<>();
		for (GpuUsage usage : records) {
			long gpuMillis = countedGpuMillis(usage, window);
			if (gpuMillis < 0) {
				continue;
			}
			groups.computeIfAbsent(String.valueOf(groupBy.keyOf(usage)), (key) -> new Group(key, groupBy, usage))
				.add(usage, gpuMillis);
		}
		List<Group> sorted = groups.values()
			.stream()
			.sorted(Comparator.comparingLong(Group::gpuMillis).reversed().thenComparing(Group::key))
			.toList();
		return new Totals(sorted.stream().mapToLong(Group::gpuMillis).sum(), sorted);
	}

	/**
	 * GPU-milliseconds of {@code usage} inside {@code window}, or -1 when it does not fall in it. An empty
	 * interval (a final record cut at the end of the previous one) counts, with 0, when it starts inside.
	 */
	static long countedGpuMillis(GpuUsage usage, UsageWindow window) {
		Instant start = usage.intervalStart();
		Instant end = usage.intervalEnd();
		if (start == null || end == null) {
			return -1;
		}
		if (!end.isAfter(start)) {
			return (!start.isBefore(window.from()) && start.isBefore(window.to())) ? 0 : -1;
		}
		if (!start.isBefore(window.from()) && !end.isAfter(window.to())) {
			return Math.round(usage.gpuSeconds() * 1000.0);
		}
		Instant overlapStart = start.isAfter(window.from()) ? start : window.from();
		Instant overlapEnd = end.isBefore(window.to()) ? end : window.to();
		if (!overlapEnd.isAfter(overlapStart)) {
			return -1;
		}
		return usage.gpus() * Duration.between(overlapStart, overlapEnd).toMillis();
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
	 * @param gpuMillis counted GPU-milliseconds over every group
	 * @param groups the groups, largest first
	 */
	record Totals(long gpuMillis, List<Group> groups) {

		int records() {
			return this.groups.stream().mapToInt(Group::records).sum();
		}

	}

	/** One group being summed; for {@code group_by=job} it also remembers the job's user, pool and workload. */
	static final class Group {

		private final String key;

		private final GpuUsage first;

		private final GroupBy groupBy;

		private final Set<String> jobs = new HashSet<>();

		private long gpuMillis;

		private int records;

		private double utilizationWeighted;

		private long utilizationGpuMillis;

		private int utilizationRecords;

		Group(String key, GroupBy groupBy, GpuUsage first) {
			this.key = key;
			this.groupBy = groupBy;
			this.first = first;
		}

		void add(GpuUsage usage, long counted) {
			this.gpuMillis += counted;
			this.records++;
			this.jobs.add(usage.jobId());
			if (usage.avgGpuUtilization() != null) {
				// weighted by the GPU time it describes; an empty interval still counts once
				long weight = Math.max(counted, 0);
				this.utilizationWeighted += usage.avgGpuUtilization() * weight;
				this.utilizationGpuMillis += weight;
				this.utilizationRecords++;
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
			return this.jobs.size();
		}

		GroupBy groupBy() {
			return this.groupBy;
		}

		GpuUsage first() {
			return this.first;
		}

		/** Mean utilization weighted by GPU time, over the records that carry one; null when none does. */
		Double avgGpuUtilization() {
			if (this.utilizationRecords == 0 || this.utilizationGpuMillis == 0) {
				return null;
			}
			return Math.round(this.utilizationWeighted / this.utilizationGpuMillis * 100.0) / 100.0;
		}

	}

}
