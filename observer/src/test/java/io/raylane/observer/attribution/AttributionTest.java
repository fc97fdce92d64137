package io.raylane.observer.attribution;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.raylane.observer.Attributions;
import io.raylane.observer.Rays;
import io.raylane.observer.attribution.Attribution.Verdict;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only Raylane's jobs speak for Raylane's jobs (issue 12): which of Ray's jobs the
 * observer attributes to a Raylane job. Raylane dispatched {@code rl-alice} (alice, pool
 * default); {@code rl-queued} is known but waits in the queue.
 */
class AttributionTest {

	final DispatchedJobs dispatched = new DispatchedJobs(Duration.ofDays(7));

	AttributionTest() {
		this.dispatched.apply(Attributions.dispatchedView("rl-alice", "alice", "default"), Instant.EPOCH);
		this.dispatched.apply(JobView.builder()
			.jobId("rl-queued")
			.user("alice")
			.pool("default")
			.status(JobStatus.QUEUED)
			.updatedAt(Instant.EPOCH)
			.build(), Instant.EPOCH);
	}

	static Stream<Arguments> verdict() {
		return Stream.of(
				Arguments.of("Raylane's own submission", Rays.gpuJob("rl-alice", 8, 1, "RUNNING", null),
						Verdict.RAYLANE),
				Arguments.of("someone else's job claiming alice's job under its own submission id",
						Rays.impostor("evil-1", "rl-alice", "FAILED", 2L), Verdict.SUBMISSION_ID_MISMATCH),
				Arguments.of("a job Raylane never dispatched, under its own id",
						Rays.gpuJob("rl-never", 8, 1, "FAILED", 2L), Verdict.NOT_DISPATCHED),
				Arguments.of("a job id Raylane holds in the queue, submitted to Ray by someone else",
						Rays.gpuJob("rl-queued", 8, 1, "RUNNING", null), Verdict.NOT_DISPATCHED),
				Arguments.of("Raylane's job id and submission id, but another user",
						withMeta(Rays.gpuJob("rl-alice", 8, 1, "FAILED", 2L), "raylane_user", "mallory"),
						Verdict.METADATA_MISMATCH),
				Arguments.of("Raylane's job id and submission id, but another pool",
						withMeta(Rays.gpuJob("rl-alice", 8, 1, "FAILED", 2L), "raylane_pool", "a100"),
						Verdict.METADATA_MISMATCH),
				Arguments.of("a submission without Raylane metadata", Rays.foreignJob("x"), Verdict.NOT_CLAIMED),
				Arguments.of("a DRIVER entry copying Raylane metadata", Rays.driverJob("01000000"),
						Verdict.NOT_CLAIMED));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void verdict(String scenario, RayJobDetails job, Verdict want) {
		assertThat(Attribution.verdict(job, this.dispatched::get)).isEqualTo(want);
	}

	@Test
	void shouldKeepOnlyRaylanesJobsAndReportEachIgnoredClaimOnceWhileRayListsIt() {
		List<String> reported = new ArrayList<>();
		Attribution attribution = new Attribution(this.dispatched::get,
				(verdict, job) -> reported.add(job.submissionId() + ":" + verdict.reason()));
		RayJobDetails ours = Rays.gpuJob("rl-alice", 8, 1, "RUNNING", null);
		RayJobDetails impostor = Rays.impostor("evil-1", "rl-alice", "FAILED", 2L);
		RayJobDetails squatter = Rays.gpuJob("rl-queued", 8, 1, "RUNNING", null);
		List<RayJobDetails> listed = List.of(Rays.foreignJob("x"), impostor, ours, squatter);

		assertThat(attribution.raylaneJobs(listed)).containsExactly(ours);
		assertThat(attribution.raylaneJobs(listed)).containsExactly(ours);
		attribution.raylaneJobs(List.of(ours));
		attribution.raylaneJobs(listed);

		assertThat(reported).containsExactly("evil-1:submission_id_mismatch", "rl-queued:not_dispatched",
				"evil-1:submission_id_mismatch", "rl-queued:not_dispatched");
	}

	private static RayJobDetails withMeta(RayJobDetails job, String key, String value) {
		Map<String, String> meta = new HashMap<>(job.metadata());
		meta.put(key, value);
		return new RayJobDetails(job.type(), job.jobId(), job.submissionId(), job.driverInfo(), job.status(),
				job.entrypoint(), job.message(), job.errorType(), job.startTime(), job.endTime(), meta,
				job.runtimeEnv(), job.driverAgentHttpAddress(), job.driverNodeId(), job.driverExitCode());
	}

}
