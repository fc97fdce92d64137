package io.raylane.observer.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.raylane.observer.Attributions;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.rayclient.wire.RayNodeState;
import io.raylane.topics.TestClock;
import io.raylane.observer.ray.RayStateClient;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.job.NcclBandwidth;
import io.raylane.topics.job.Progress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The poller with driver-log readings: progress of running verl jobs, the diagnosis of
 * failed ones.
 */
class JobReadingsPollTest {

	final TestClock clock = new TestClock(Instant.EPOCH);

	final LoggingRay ray = new LoggingRay();

	final RayPollerTest.RecordingSink sink = new RayPollerTest.RecordingSink();

	final RayPoller poller = new RayPoller(this.ray, this.sink, this.clock, Attributions.everyClaim(null, "a"),
			new JobReadings(this.ray::logs, Duration.ofSeconds(15)), null, null);

	@Test
	void shouldPublishProgressAsItMovesAtTheReadingInterval() {
		this.ray.jobs = List.of(job("j1", "RUNNING", "cd /x && exec python3 -m verl.trainer.main_ppo 'a=b'", null));
		this.ray.logs.put("j1", "Total training steps: 10\nstep:1 - a:1\n");
		this.poller.pollOnce();
		this.ray.logs.put("j1", "Total training steps: 10\nstep:1 - a:1\nstep:2 - a:1\n");
		this.clock.advance(Duration.ofSeconds(5));
		this.poller.pollOnce();
		this.clock.advance(Duration.ofSeconds(15));
		this.poller.pollOnce();

		assertThat(this.sink.jobs).extracting(JobObserved::progress)
			.containsExactly(new Progress(1, 10, Instant.EPOCH, Map.of("a", 1.0)),
					new Progress(2, 10, Instant.EPOCH.plusSeconds(20), Map.of("a", 1.0)));
		assertThat(this.ray.logReads).isEqualTo(2);
	}

	@Test
	void shouldKeepTheTotalWhenItScrollsOutOfTheBoundedTail() {
		// issue 13 item 6: the total is logged once; 500 step lines later the tail of
		// JobReadings.Tail.DEFAULTS (200 lines) no longer holds it
		this.ray.jobs = List.of(job("j1", "RUNNING", "python3 -m verl.trainer.main_ppo x=1", null));
		StringBuilder log = new StringBuilder("(TaskRunner pid=7) Total training steps: 900\n");
		this.ray.logs.put("j1", log + "(TaskRunner pid=7) step:1 - critic/score/mean:0.1\n");
		this.poller.pollOnce();
		for (int step = 2; step <= 500; step++) {
			log.append("(TaskRunner pid=7) step:").append(step).append(" - critic/score/mean:0.5\n");
		}
		this.ray.logs.put("j1", log.toString());
		this.clock.advance(Duration.ofSeconds(15));
		this.poller.pollOnce();

		assertThat(this.sink.jobs).extracting(JobObserved::progress)
			.containsExactly(new Progress(1, 900, Instant.EPOCH, Map.of("critic/score/mean", 0.1)),
					new Progress(500, 900, Instant.EPOCH.plusSeconds(15), Map.of("critic/score/mean", 0.5)));
	}

	@Test
	void shouldNotReadTheLogsOfRunningCommandJobs() {
		this.ray.jobs = List.of(job("j2", "RUNNING", "echo hi", null));
		this.ray.logs.put("j2", "step:1 - a:1\n");

		this.poller.pollOnce();

		assertThat(this.sink.jobs).singleElement().satisfies((o) -> assertThat(o.progress()).isNull());
		assertThat(this.ray.logReads).isZero();
	}

	@Test
	void shouldDiagnoseAFailedJobOnceAndKeepTheDiagnosis() {
		this.ray.jobs = List.of(job("j3", "FAILED", "echo hi", "Job entrypoint command failed with exit code 1"));
		this.ray.logs.put("j3", "torch.distributed.DistBackendError: NCCL error in: x.cpp:1, unhandled system error\n"
				+ "ray.exceptions.ActorDiedError: The actor died unexpectedly\n");

		this.poller.pollOnce();
		this.poller.pollOnce();

		assertThat(this.sink.jobs).singleElement().satisfies((o) -> {
			assertThat(o.failure().category()).isEqualTo("nccl");
			assertThat(o.failure().evidence())
				.containsExactly("torch.distributed.DistBackendError: NCCL error in: x.cpp:1, unhandled system error");
		});
		assertThat(this.ray.logReads).isEqualTo(1);
	}

	@Test
	void shouldLeaveFailuresOlderThanADayUndiagnosed() {
		this.clock.set(Instant.EPOCH.plus(Duration.ofDays(3)));
		RayJobDetails old = job("j4", "FAILED", "echo hi", "failed");
		this.ray.jobs = List.of(new RayJobDetails(old.type(), null, "j4", null, "FAILED", "echo hi", "failed", null, 1L,
				Duration.ofDays(1).toMillis(), old.metadata(), Map.of(), null, null, 1));

		this.poller.pollOnce();

		assertThat(this.sink.jobs).singleElement().satisfies((o) -> assertThat(o.failure()).isNull());
		assertThat(this.ray.logReads).isZero();
	}

	/**
	 * Issue 16 item 6: a nccl_check job's pairs while it runs, then once more when it
	 * ended, kept on every later observation.
	 */
	@Test
	void shouldPublishTheBandwidthPerPairOfANcclCheckWhileItRunsAndWhenItEnds() {
		String entrypoint = "rc=0; echo 'raylane-nccl-check: pair' 'a' 'b'; 'mpirun' '-np' '2'";
		String pairAb = "raylane-nccl-check: pair a b\n"
				+ "  1073741824     268435456     float     sum      -1   6759.0  158.86  297.86      0   6737.4  159.37  298.82      0\n"
				+ "raylane-nccl-check: exit 0\n";
		this.ray.jobs = List.of(job("jn", "RUNNING", entrypoint, null));
		this.ray.logs.put("jn", pairAb + "raylane-nccl-check: pair b a\n");
		this.poller.pollOnce();
		this.ray.jobs = List.of(job("jn", "SUCCEEDED", entrypoint, null));
		this.ray.logs.put("jn", pairAb + "raylane-nccl-check: pair b a\n"
				+ "  1073741824     268435456     float     sum      -1   6759.0  158.86  290.00      0   6737.4  159.37  298.82      0\n"
				+ "raylane-nccl-check: exit 0\n");
		this.clock.advance(Duration.ofSeconds(1));
		this.poller.pollOnce();
		this.clock.advance(Duration.ofSeconds(30));
		this.poller.pollOnce();

		NcclBandwidth ab = new NcclBandwidth(List.of("a", "b"), 297.86, 1073741824L, null, null, 0);
		assertThat(this.sink.jobs).extracting(JobObserved::ncclBandwidth)
			.containsExactly(List.of(ab, new NcclBandwidth(List.of("b", "a"), null, null, null, null, null)),
					List.of(ab, new NcclBandwidth(List.of("b", "a"), 290.0, 1073741824L, null, null, 0)));
		assertThat(this.sink.jobs).extracting(JobObserved::progress).containsOnlyNulls();
		assertThat(this.ray.logReads).as("read while running and once when ended").isEqualTo(2);
	}

	private static RayJobDetails job(String id, String status, String entrypoint, String message) {
		return new RayJobDetails("SUBMISSION", null, id, null, status, entrypoint, message, null, 1L, null,
				Map.of("raylane_job_id", id, "raylane_pool", "a"), Map.of(), null, null, null);
	}

	static final class LoggingRay implements RayStateClient {

		List<RayJobDetails> jobs = List.of();

		final Map<String, String> logs = new HashMap<>();

		int logReads;

		@Override
		public List<RayJobDetails> jobs() {
			return this.jobs;
		}

		@Override
		public List<RayNodeState> nodes() {
			return List.of();
		}

		@Override
		public Optional<String> logs(String submissionId) {
			this.logReads++;
			return Optional.ofNullable(this.logs.get(submissionId));
		}

	}

}
