package io.raylane.observer.accounting;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import io.raylane.observer.Rays;
import io.raylane.observer.gpu.GpuSample;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.topics.events.GpuUsage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AccountingLedgerTest {

	static final Duration P = Duration.ofMinutes(5);

	static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

	static final long PM = P.toMillis();

	final AccountingLedger ledger = new AccountingLedger(P, Map.of());

	@Test
	void shouldSumEveryJobToItsGpusTimesRunningTimeToTheMillisecondWhateverThePollTimes() {
		Random random = new Random(20260101L);
		for (int run = 0; run < 400; run++) {
			long period = 1 + random.nextInt(600_000);
			AccountingLedger ledger = new AccountingLedger(Duration.ofMillis(period), Map.of());
			int gpus = 1 + random.nextInt(64);
			long start = T0 + random.nextInt(1_000_000);
			long length = switch (random.nextInt(4)) {
				case 0 -> 0;
				case 1 -> period * random.nextInt(6);
				default -> random.nextLong(period * 12);
			};
			long end = start + length;
			List<GpuUsage> written = new ArrayList<>();
			// polls while it runs, with random gaps (outages included)
			for (long now = start; now < end; now += 1 + random.nextLong(period * 3)) {
				written.addAll(commit(ledger, Rays.gpuJob("j", gpus, start, "RUNNING", null), now));
			}
			RayJobDetails ended = Rays.gpuJob("j", gpus, start, "SUCCEEDED", end);
			long after = end + random.nextLong(period * 3);
			written.addAll(commit(ledger, ended, after));
			written.addAll(commit(ledger, ended, after + period * 5));

			String why = "run " + run + ": period " + period + ", length " + length;
			long milliGpuSeconds = written.stream().mapToLong((u) -> Math.round(u.gpuSeconds() * 1000)).sum();
			assertThat(milliGpuSeconds).as(why).isEqualTo(gpus * length);
			assertThat(written).as(why)
				.extracting(GpuUsage::intervalIndex)
				.containsExactlyElementsOf(range(written.size()));
			assertThat(written).as(why)
				.filteredOn(GpuUsage::isFinal)
				.singleElement()
				.isEqualTo(written.get(written.size() - 1));
			assertThat(written.get(written.size() - 1).intervalEnd()).as(why).isEqualTo(Instant.ofEpochMilli(end));
			assertThat(written).as(why)
				.allSatisfy((u) -> assertThat(u.intervalEnd()).isAfterOrEqualTo(u.intervalStart()));
			assertThat(written).as(why)
				.filteredOn((u) -> !u.isFinal())
				.allSatisfy((u) -> assertThat(Duration.between(u.intervalStart(), u.intervalEnd()).toMillis())
					.isEqualTo(period));
		}
	}

	@Test
	void shouldCatchUpEveryMissedIntervalAfterAnOutage() {
		RayJobDetails job = Rays.gpuJob("j1", 8, T0, "RUNNING", null);

		List<GpuUsage> first = commit(this.ledger, job, T0 + PM / 2);
		List<GpuUsage> afterOutage = commit(this.ledger, job, T0 + 3 * PM + PM / 2);

		assertThat(first).isEmpty();
		assertThat(afterOutage).extracting(GpuUsage::id, GpuUsage::isFinal, GpuUsage::gpuSeconds)
			.containsExactly(tuple("j1/0", false, 2400.0), tuple("j1/1", false, 2400.0), tuple("j1/2", false, 2400.0));
		assertThat(afterOutage.get(2).intervalStart()).isEqualTo(Instant.ofEpochMilli(T0 + 2 * PM));
	}

	@Test
	void shouldWriteOneFinalRecordOfZeroSecondsWhenTheJobEndsAtItsStart() {
		List<GpuUsage> written = commit(this.ledger, Rays.gpuJob("j1", 4, T0, "FAILED", T0), T0 + 10);

		assertThat(written).singleElement().satisfies((u) -> {
			assertThat(u.id()).isEqualTo("j1/0");
			assertThat(u.isFinal()).isTrue();
			assertThat(u.gpuSeconds()).isZero();
			assertThat(u.intervalEnd()).isEqualTo(u.intervalStart());
		});
	}

	@Test
	void shouldMakeTheLastFullIntervalFinalWhenTheJobEndsOnABoundary() {
		commit(this.ledger, Rays.gpuJob("j1", 2, T0, "RUNNING", null), T0 + PM + 1);

		List<GpuUsage> written = commit(this.ledger, Rays.gpuJob("j1", 2, T0, "STOPPED", T0 + 2 * PM), T0 + 2 * PM + 5);

		assertThat(written).extracting(GpuUsage::id, GpuUsage::isFinal, GpuUsage::gpuSeconds)
			.containsExactly(tuple("j1/1", true, 600.0));
	}

	@Test
	void shouldEndTheFinalIntervalAtRaysEndTime() {
		List<GpuUsage> written = commit(this.ledger, Rays.gpuJob("j1", 8, T0, "SUCCEEDED", T0 + PM + 150_000),
				T0 + 3 * PM);

		assertThat(written).extracting(GpuUsage::id, GpuUsage::isFinal, GpuUsage::gpuSeconds)
			.containsExactly(tuple("j1/0", false, 2400.0), tuple("j1/1", true, 1200.0));
		assertThat(written.get(1)).satisfies((u) -> {
			assertThat(u.user()).isEqualTo("alice");
			assertThat(u.pool()).isEqualTo("default");
			assertThat(u.workload()).isEqualTo("ppo");
			assertThat(u.gpus()).isEqualTo(8);
			assertThat(u.intervalEnd()).isEqualTo(Instant.ofEpochMilli(T0 + PM + 150_000));
		});
	}

	@Test
	void shouldPlanTheSameIdsAgainWhenThePlanWasNotCommitted() {
		RayJobDetails job = Rays.gpuJob("j1", 8, T0, "SUCCEEDED", T0 + 2 * PM + 7);
		AccountedJob accounted = AccountedJob.of(job).orElseThrow();

		AccountingLedger.Plan failed = this.ledger.plan(List.of(accounted), Instant.ofEpochMilli(T0 + 3 * PM),
				(id) -> List.of());
		AccountingLedger.Plan retried = this.ledger.plan(List.of(accounted), Instant.ofEpochMilli(T0 + 4 * PM),
				(id) -> List.of());

		assertThat(retried.records()).isEqualTo(failed.records());
		assertThat(retried.records()).extracting(GpuUsage::id).containsExactly("j1/0", "j1/1", "j1/2");
	}

	@Test
	void shouldWriteNothingMoreOnceTheFinalRecordIsWritten() {
		RayJobDetails job = Rays.gpuJob("j1", 8, T0, "SUCCEEDED", T0 + 7);
		commit(this.ledger, job, T0 + 10);

		assertThat(commit(this.ledger, job, T0 + 10 * PM)).isEmpty();
		assertThat(this.ledger.position("j1")).contains(new LedgerPosition(1, true));
	}

	@Test
	void shouldContinueFromRestoredPositionsAndForgetJobsRayNoLongerLists() {
		AccountingLedger restored = new AccountingLedger(P,
				Map.of("j1", new LedgerPosition(3, false), "gone", new LedgerPosition(2, true)));

		List<GpuUsage> written = commit(restored, Rays.gpuJob("j1", 1, T0, "RUNNING", null), T0 + 4 * PM);

		assertThat(written).extracting(GpuUsage::id).containsExactly("j1/3");
		assertThat(restored.position("gone")).isEmpty();
		assertThat(restored.position("j1")).contains(new LedgerPosition(4, false));
	}

	@Test
	void shouldNotAccountCpuOnlyForeignOrDriverJobs() {
		List<RayJobDetails> jobs = List.of(Rays.gpuJob("cpu", 0, T0, "SUCCEEDED", T0 + PM), Rays.foreignJob("x"),
				Rays.driverJob("01000000"), Rays.raylaneJob("nogpus", "default"),
				Rays.gpuJob("odd", 1, T0, "RUNNING", null));
		List<AccountedJob> accounted = jobs.stream().map(AccountedJob::of).flatMap(Optional::stream).toList();

		assertThat(accounted).extracting(AccountedJob::jobId).containsExactly("odd");
		assertThat(AccountedJob.gpusOf("2.5")).isZero();
		assertThat(AccountedJob.gpusOf("8")).isEqualTo(8);
	}

	@Test
	void shouldAverageUtilizationAndKeepPeakMemoryOfTheSamplesInTheInterval() {
		Instant t = Instant.ofEpochMilli(T0);
		List<GpuSample> samples = List.of(new GpuSample(t.plusSeconds(10), 80, 1000.0),
				new GpuSample(t.plusSeconds(200), 40, 3000.0), new GpuSample(t.plusMillis(PM), 0, 9000.0));
		AccountedJob job = AccountedJob.of(Rays.gpuJob("j1", 8, T0, "RUNNING", null)).orElseThrow();

		List<GpuUsage> written = this.ledger.plan(List.of(job), t.plusMillis(2 * PM), (id) -> samples).records();

		assertThat(written.get(0).avgGpuUtilization()).isEqualTo(60.0);
		assertThat(written.get(0).peakGpuMemoryMib()).isEqualTo(3000.0);
		assertThat(written.get(1).avgGpuUtilization()).isEqualTo(0.0);
		AccountedJob other = AccountedJob.of(Rays.gpuJob("j2", 8, T0, "RUNNING", null)).orElseThrow();
		assertThat(this.ledger.plan(List.of(other), t.plusMillis(PM), (id) -> List.of()).records()).singleElement()
			.satisfies((u) -> {
				assertThat(u.avgGpuUtilization()).isNull();
				assertThat(u.peakGpuMemoryMib()).isNull();
			});
	}

	static List<GpuUsage> commit(AccountingLedger ledger, RayJobDetails job, long now) {
		List<AccountedJob> jobs = AccountedJob.of(job).stream().toList();
		AccountingLedger.Plan plan = ledger.plan(jobs, Instant.ofEpochMilli(now), (id) -> List.of());
		ledger.commit(plan);
		Set<String> ids = new HashSet<>();
		plan.records().forEach((u) -> assertThat(ids.add(u.id())).isTrue());
		return plan.records();
	}

	static List<Long> range(int n) {
		List<Long> list = new ArrayList<>();
		for (long i = 0; i < n; i++) {
			list.add(i);
		}
		return list;
	}

	static org.assertj.core.groups.Tuple tuple(Object... values) {
		return org.assertj.core.groups.Tuple.tuple(values);
	}

}
