package io.raylane.scheduler.core;

import java.time.Instant;
import java.util.List;

import io.raylane.topics.Jobs;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.job.JobStatus;
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
		assertThat(SubmissionComposer.entrypointResources("a100")).containsExactly(
				java.util.Map.entry("raylane-pool-a100", 1.0));
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
		return new JobObserved(1, "rl-1", "default", rayStatus, "10.0.0.1", 1_000L, endMs, null, null, null, NOW);
	}

}
