package io.raylane.scheduler.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.raylane.topics.Jobs;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.job.DataSpec;
import io.raylane.topics.job.Failure;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.ModelSpec;
import io.raylane.topics.job.NcclBandwidth;
import io.raylane.topics.job.Progress;
import io.raylane.topics.job.Resources;
import io.raylane.topics.job.JobView;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobViewsTest {

	private static final Instant NOW = Instant.parse("2026-01-01T01:00:00Z");

	@Test
	void shouldEndAJobWhenRayReportsItStoppedNamingWhoAskedAndFreeingItsNodes() {
		JobView running = view(JobStatus.RUNNING);

		JobView stopped = JobViews.observed(running, observed("STOPPED", 2_000L), "bob", NOW).orElseThrow();

		assertThat(stopped.status()).isEqualTo(JobStatus.STOPPED);
		assertThat(stopped.reason()).isEqualTo("stopped by bob");
		assertThat(stopped.endedAt()).isEqualTo(Instant.ofEpochMilli(2_000L));
		assertThat(stopped.nodes()).isEmpty();
		assertThat(stopped.updatedAt()).isEqualTo(NOW);
	}

	@Test
	void shouldIgnoreAnObservationThatChangesNothing() {
		JobView running = JobViews.observed(view(JobStatus.SUBMITTED), observed("RUNNING", null), null, NOW)
			.orElseThrow();

		assertThat(JobViews.observed(running, observed("RUNNING", null), null, NOW.plusSeconds(5))).isEmpty();
	}

	@Test
	void shouldNotApplyObservationsToQueuedOrTerminalJobs() {
		assertThat(JobViews.observed(view(JobStatus.QUEUED), observed("RUNNING", null), null, NOW)).isEmpty();
		assertThat(JobViews.observed(view(JobStatus.SUCCEEDED), observed("RUNNING", null), null, NOW)).isEmpty();
	}

	@Test
	void shouldComposeAnEmptyRuntimeEnvWithoutVariables() {
		assertThat(SubmissionComposer.runtimeEnv(Jobs.aJob("rl-1").spec())).isEmpty();
		assertThat(SubmissionComposer.entrypointResources("a100"))
			.containsExactly(java.util.Map.entry("raylane-pool-a100", 1.0));
	}

	@Test
	void shouldCopyTheObserversFailureAndProgressIntoTheView() {
		Progress progress = new Progress(12, 100, NOW);
		JobView running = JobViews
			.observed(view(JobStatus.RUNNING), withReading(observed("RUNNING", null), null, progress), null, NOW)
			.orElseThrow();
		Failure failure = new Failure("nccl", List.of("NCCL error: unhandled system error"), "check the fabric");

		JobView failed = JobViews
			.observed(running, withReading(observed("FAILED", 2_000L), failure, progress), null, NOW)
			.orElseThrow();

		assertThat(running.progress()).isEqualTo(progress);
		assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
		assertThat(failed.failure()).isEqualTo(failure);
		assertThat(failed.progress()).isEqualTo(progress);
	}

	/** Issue 16 item 6: what a nccl_check measured reaches the job view, and stays. */
	@Test
	void shouldCopyTheNcclBandwidthPerPairIntoTheView() {
		List<NcclBandwidth> pairs = List
			.of(new NcclBandwidth(List.of("gpu-a", "gpu-b"), 338.82, 8589934592L, 70.742, 0, 0));
		JobObserved o = observed("SUCCEEDED", 2_000L);
		JobObserved withPairs = new JobObserved(o.schemaVersion(), o.jobId(), o.pool(), o.rayStatus(), o.driverNodeIp(),
				o.startTimeMs(), o.endTimeMs(), o.exitCode(), o.message(), o.errorType(), o.observedAt(), null, null,
				pairs, null);

		JobView ended = JobViews.observed(view(JobStatus.RUNNING), withPairs, null, NOW).orElseThrow();
		JobView later = JobViews.observed(ended, o, null, NOW).orElse(ended);

		assertThat(ended.status()).isEqualTo(JobStatus.SUCCEEDED);
		assertThat(ended.ncclBandwidth()).isEqualTo(pairs);
		assertThat(later.ncclBandwidth()).isEqualTo(pairs);
	}

	@Test
	void shouldAddADiagnosisThatArrivesAfterTheJobFailed() {
		JobView failed = JobViews.observed(view(JobStatus.RUNNING), observed("FAILED", 2_000L), null, NOW)
			.orElseThrow();
		Failure failure = new Failure("oom_gpu", List.of("torch.OutOfMemoryError: CUDA out of memory"), "lower batch");

		JobView diagnosed = JobViews.observed(failed, withReading(observed("FAILED", 2_000L), failure, null), null, NOW)
			.orElseThrow();

		assertThat(diagnosed.status()).isEqualTo(JobStatus.FAILED);
		assertThat(diagnosed.failure()).isEqualTo(failure);
		assertThat(JobViews.observed(diagnosed, withReading(observed("FAILED", 2_000L), failure, null), null, NOW))
			.isEmpty();
	}

	@Test
	void shouldComposeAVerlJobWithThePoolEnvironmentUnderTheJobs() {
		JobView view = view(JobStatus.DISPATCHED).toBuilder()
			.user("ana")
			.jobDir("/shared/jobs/rl-1")
			.spec(new JobSpec("m", "ppo", null, "default", Resources.of(1, 4), null, Map.of("NCCL_DEBUG", "INFO"), null,
					"0.7", new ModelSpec("/shared/common/models/q"),
					new DataSpec(List.of("/shared/common/datasets/t.parquet"), null), null, null,
					"/shared/users/ana/code/v1", null, null, null))
			.build();

		SubmitToRay command = SubmissionComposer.compose(view, Map.of("NCCL_DEBUG", "WARN", "NCCL_IB_HCA", "mlx5"),
				List.of("127.10.0.1", "127.10.0.2"));

		// Ray's metadata alone lets the observer account for the job and attribute its
		// GPU metrics
		assertThat(command.metadata()).containsEntry("raylane_job_id", "rl-1")
			.containsEntry("raylane_user", "ana")
			.containsEntry("raylane_pool", "default")
			.containsEntry("raylane_node_ips", "127.10.0.1,127.10.0.2");

		assertThat(command.entrypoint())
			.startsWith("cd '/shared/jobs/rl-1/logs' && exec python3 -m verl.trainer.main_ppo ")
			.contains("'trainer.default_local_dir=/shared/jobs/rl-1/checkpoints'", "'trainer.n_gpus_per_node=4'");
		assertThat(command.runtimeEnv()).isEqualTo(Map.of("env_vars", Map.of("NCCL_DEBUG", "INFO", "NCCL_IB_HCA",
				"mlx5", "PYTHONPATH", "/shared/users/ana/code/v1:${PYTHONPATH}")));
	}

	private static JobObserved withReading(JobObserved o, Failure failure, Progress progress) {
		return new JobObserved(o.schemaVersion(), o.jobId(), o.pool(), o.rayStatus(), o.driverNodeIp(), o.startTimeMs(),
				o.endTimeMs(), o.exitCode(), o.message(), o.errorType(), o.observedAt(), failure, progress);
	}

	@Test
	void shouldSeeAWaitAsUnchangedExactlyWhenTheWholeViewButItsPositionAndTimeIsTheSame() {
		JobView queued = view(JobStatus.QUEUED);
		List<Decision> decisions = List.of(Decision.waiting("rl-1", "waits"), Decision.waiting("rl-1", "other"),
				Decision.waiting("rl-1", List.of(Reasons.quota(4, 8)), 3, NOW),
				Decision.waiting("rl-1", List.of(Reasons.quota(4, 8)), 5, NOW),
				Decision.waiting("rl-1", List.of(Reasons.quota(4, 8)), 3, NOW.plusSeconds(60)),
				Decision.waiting("rl-1", List.of(Reasons.reservation("rl-0")), 3, NOW));
		int same = 0;
		for (Decision first : decisions) {
			JobView before = JobViews.waiting(queued, first, NOW);
			for (Decision second : decisions) {
				JobView after = JobViews.waiting(before, second, NOW.plusSeconds(1));
				boolean wholeViews = JobViews.sameExceptUpdatedAt(before.toBuilder().position(null).build(),
						after.toBuilder().position(null).build());
				assertThat(JobViews.sameWaitExceptPosition(before, after)).as("%s then %s", first, second)
					.isEqualTo(wholeViews);
				same += wholeViews ? 1 : 0;
			}
		}
		// each decision with itself, and the two that differ only in position
		assertThat(same).isEqualTo(decisions.size() + 2);
	}

	private static JobView view(JobStatus status) {
		return JobView.builder()
			.jobId("rl-1")
			.pool("default")
			.status(status)
			.nodes(List.of("n1"))
			.spec(Jobs.aJob("rl-1").spec())
			.build();
	}

	private static JobObserved observed(String rayStatus, Long endMs) {
		return new JobObserved(1, "rl-1", "default", rayStatus, "127.10.0.1", 1_000L, endMs, null, null, null, NOW);
	}

}
