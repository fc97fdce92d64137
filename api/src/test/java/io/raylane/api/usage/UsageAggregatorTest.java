package io.raylane.api.usage;

import java.time.Instant;
import java.util.List;

import io.raylane.topics.events.GpuUsage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UsageAggregatorTest {

	static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

	static GpuUsage usage(String job, long index, String user, String pool, int gpus, long startSecond, long endSecond,
			Double utilization) {
		Instant start = T0.plusSeconds(startSecond);
		Instant end = T0.plusSeconds(endSecond);
		return new GpuUsage(1, GpuUsage.idOf(job, index), job, user, pool, "ppo", gpus, index, start, end,
				GpuUsage.gpuSeconds(gpus, start, end), false, utilization, null);
	}

	static UsageWindow window(long fromSecond, long toSecond) {
		return new UsageWindow(T0.plusSeconds(fromSecond), T0.plusSeconds(toSecond));
	}

	static long counted(GpuUsage usage, UsageWindow window) {
		return UsageAggregator.countedGpuMillis(JobUsage.Interval.of(usage), window.from().toEpochMilli(),
				window.to().toEpochMilli());
	}

	static UsageAggregator.Totals aggregate(List<GpuUsage> records, GroupBy groupBy, UsageWindow window) {
		UsageLedger ledger = new UsageLedger();
		records.forEach(ledger::add);
		return UsageAggregator.aggregate(ledger.jobs(null), groupBy, window);
	}

	@Test
	void shouldCountARecordInsideTheWindowWithItsGpuSeconds() {
		GpuUsage inside = new GpuUsage(1, "j/0", "j", "alice", "default", "ppo", 3, 0, T0.plusSeconds(10),
				T0.plusMillis(10_500), 1.5, true, null, null);

		assertThat(counted(inside, window(0, 60))).isEqualTo(1500);
	}

	@Test
	void shouldCountAPartlyOverlappingRecordProRata() {
		GpuUsage record = usage("j", 0, "alice", "default", 4, 0, 300, null);

		// 4 GPUs × 120 s of overlap at each edge; the whole record for a window around it
		assertThat(counted(record, window(180, 1000))).isEqualTo(4 * 120_000L);
		assertThat(counted(record, window(-50, 120))).isEqualTo(4 * 120_000L);
		assertThat(counted(record, new UsageWindow(T0.plusMillis(100), T0.plusMillis(350)))).isEqualTo(4 * 250L);
		assertThat(counted(record, window(-100, 400))).isEqualTo(1_200_000L);
	}

	@Test
	void shouldNotCountARecordOutsideTheWindowNorOneEndingAtItsStart() {
		GpuUsage record = usage("j", 0, "alice", "default", 4, 0, 300, null);

		assertThat(counted(record, window(300, 600))).isEqualTo(-1);
		assertThat(counted(record, window(-300, 0))).isEqualTo(-1);
	}

	@Test
	void shouldCountAnEmptyFinalRecordOnlyWhenItStartsInside() {
		GpuUsage empty = usage("j", 3, "alice", "default", 4, 300, 300, null);

		assertThat(counted(empty, window(0, 301))).isZero();
		assertThat(counted(empty, window(0, 300))).isEqualTo(-1);
	}

	@Test
	void shouldGroupByUserPoolAndJobLargestFirstWithTotalsEqualToTheGroups() {
		List<GpuUsage> records = List.of(usage("a1", 0, "alice", "p1", 2, 0, 300, null),
				usage("a1", 1, "alice", "p1", 2, 300, 400, null), usage("a2", 0, "alice", "p2", 1, 0, 100, null),
				usage("b1", 0, "bob", "p2", 8, 0, 300, null));

		UsageAggregator.Totals byUser = aggregate(records, GroupBy.USER, window(0, 1000));
		UsageAggregator.Totals byPool = aggregate(records, GroupBy.POOL, window(0, 1000));
		UsageAggregator.Totals byJob = aggregate(records, GroupBy.JOB, window(0, 1000));

		assertThat(byUser.groups()).extracting(UsageAggregator.Group::key).containsExactly("bob", "alice");
		assertThat(byUser.groups()).extracting(UsageAggregator.Group::gpuMillis).containsExactly(2_400_000L, 900_000L);
		assertThat(byUser.groups()).extracting(UsageAggregator.Group::jobs).containsExactly(1, 2);
		assertThat(byUser.groups()).extracting(UsageAggregator.Group::records).containsExactly(1, 3);
		assertThat(byPool.groups()).extracting(UsageAggregator.Group::key).containsExactly("p2", "p1");
		assertThat(byPool.groups()).extracting(UsageAggregator.Group::gpuMillis).containsExactly(2_500_000L, 800_000L);
		assertThat(byJob.groups()).extracting(UsageAggregator.Group::key).containsExactly("b1", "a1", "a2");
		for (UsageAggregator.Totals totals : List.of(byUser, byPool, byJob)) {
			assertThat(totals.gpuMillis()).isEqualTo(3_300_000L);
			assertThat(totals.records()).isEqualTo(4);
		}
	}

	@Test
	void shouldSortEqualGroupsByKey() {
		List<GpuUsage> records = List.of(usage("z", 0, "zoe", "p", 1, 0, 10, null),
				usage("a", 0, "ann", "p", 1, 0, 10, null));

		assertThat(aggregate(records, GroupBy.USER, window(0, 100)).groups()).extracting(UsageAggregator.Group::key)
			.containsExactly("ann", "zoe");
	}

	@Test
	void shouldWeightUtilizationByGpuTimeAndIgnoreRecordsWithoutIt() {
		List<GpuUsage> records = List.of(usage("a", 0, "alice", "p", 1, 0, 100, 90.0),
				usage("a", 1, "alice", "p", 3, 100, 200, 10.0), usage("a", 2, "alice", "p", 4, 200, 300, null));

		UsageAggregator.Group alice = aggregate(records, GroupBy.USER, window(0, 1000)).groups().get(0);

		// (90 × 100 + 10 × 300) / 400 GPU-seconds
		assertThat(alice.avgGpuUtilization()).isEqualTo(30.0);
		assertThat(aggregate(records.subList(2, 3), GroupBy.USER, window(0, 1000)).groups().get(0).avgGpuUtilization())
			.isNull();
	}

	@Test
	void shouldAnswerInSecondsAndHours() {
		UsageAggregator.Totals totals = aggregate(List.of(usage("a", 0, "alice", "p", 2, 0, 5400, null)), GroupBy.USER,
				window(0, 6000));

		UsageResponse response = UsageResponse.of(GroupBy.USER, "alice", window(0, 6000), T0, totals);

		assertThat(response.totalGpuSeconds()).isEqualTo(10_800.0);
		assertThat(response.totalGpuHours()).isEqualTo(3.0);
		assertThat(response.groups()).singleElement().satisfies((g) -> {
			assertThat(g.key()).isEqualTo("alice");
			assertThat(g.gpuHours()).isEqualTo(3.0);
			assertThat(g.user()).as("only job groups repeat the owner").isNull();
		});
	}

}
