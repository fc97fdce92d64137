package io.raylane.api.usage;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of {@code GET /v1/usage} (snake_case on the wire).
 *
 * @param groupBy {@code user}, {@code pool} or {@code job}
 * @param user the {@code user} filter, when one applied (a regular user: always
 * themselves)
 * @param from window start (inclusive)
 * @param to window end (exclusive)
 * @param asOf every accounting record committed before this instant has been read; null
 * while the API has not yet caught up with {@code raylane.accounting} since it started
 * @param totalGpuSeconds the sum over the groups (millisecond precision)
 * @param totalGpuHours the same in hours
 * @param records accounting records counted (whole or pro rata)
 * @param groups by GPU-seconds, largest first
 * @param completeSince set once the API dropped the records of old jobs (issue 12,
 * {@code raylane.api.max-usage-jobs}): a window starting before it may miss some usage
 */
record UsageResponse(String groupBy, String user, Instant from, Instant to,
		@JsonInclude(JsonInclude.Include.ALWAYS) Instant asOf, double totalGpuSeconds, double totalGpuHours,
		int records, List<UsageGroup> groups, Instant completeSince) {

	static UsageResponse of(GroupBy groupBy, String user, UsageWindow window, Instant asOf,
			UsageAggregator.Totals totals) {
		return of(groupBy, user, window, asOf, totals, null);
	}

	static UsageResponse of(GroupBy groupBy, String user, UsageWindow window, Instant asOf,
			UsageAggregator.Totals totals, Instant completeSince) {
		List<UsageGroup> groups = totals.groups().stream().map((g) -> UsageGroup.of(g, groupBy)).toList();
		return new UsageResponse(groupBy.wireName(), user, window.from(), window.to(), asOf,
				UsageAggregator.seconds(totals.gpuMillis()), UsageAggregator.hours(totals.gpuMillis()),
				totals.records(), groups, completeSince);
	}

	/**
	 * One group.
	 *
	 * @param key the user, pool or job id
	 * @param user the job's owner ({@code group_by=job} only)
	 * @param pool the job's pool ({@code group_by=job} only)
	 * @param workload the job's workload ({@code group_by=job} only)
	 * @param gpuSeconds GPU-seconds in the window
	 * @param gpuHours the same in hours
	 * @param jobs distinct jobs
	 * @param records accounting records counted
	 * @param avgGpuUtilization mean GPU utilization (0–100), weighted by GPU time, over
	 * the records that carry one; absent when none does
	 */
	record UsageGroup(String key, String user, String pool, String workload, double gpuSeconds, double gpuHours,
			int jobs, int records, Double avgGpuUtilization) {

		static UsageGroup of(UsageAggregator.Group group, GroupBy groupBy) {
			boolean job = groupBy == GroupBy.JOB;
			return new UsageGroup(group.key(), job ? group.first().user() : null, job ? group.first().pool() : null,
					job ? group.first().workload() : null, UsageAggregator.seconds(group.gpuMillis()),
					UsageAggregator.hours(group.gpuMillis()), group.jobs(), group.records(), group.avgGpuUtilization());
		}

	}

}
