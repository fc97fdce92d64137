package io.raylane.observer.observe;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.raylane.observer.Rays;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.NodeObserved;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ObservationDiffTest {

	static final Instant T1 = Instant.parse("2026-01-01T00:00:00Z");

	static final Instant T2 = Instant.parse("2026-01-01T00:00:02Z");

	@Test
	void shouldObserveRaylanesSubmissionsOnly() {
		assertThat(ObservationDiff.jobObservation(Rays.raylaneJob("j1", "a100"), T1)).contains(new JobObserved(1, "j1",
				"a100", "PENDING", null, 1735700000123L, null, null,
				"Job has not started yet. It may be waiting for resources (CPUs, GPUs, memory, custom resources) to become available.",
				null, T1));
		assertThat(ObservationDiff.jobObservation(Rays.foreignJob("x"), T1)).isEmpty();
		assertThat(ObservationDiff.jobObservation(Rays.driverJob("01000000"), T1)).isEmpty();
	}

	@Test
	void shouldTakeTheDriverIpExitCodeAndTimesFromRay() {
		JobObserved running = ObservationDiff
			.jobObservation(Rays.running(Rays.raylaneJob("j1", "a100"), "127.10.3.21"), T1)
			.orElseThrow();

		assertThat(running.rayStatus()).isEqualTo("RUNNING");
		assertThat(running.driverNodeIp()).as("from driver_agent_http_address: driver_info is null on Ray 2.60")
			.isEqualTo("127.10.3.21");
		assertThat(running.message()).isEqualTo("Job is currently running.");
	}

	@Test
	void shouldPreferDriverInfoWhereADriverHasIt() {
		var job = Rays.running(Rays.raylaneJob("j1", "a100"), "127.10.3.21");
		var withDriver = new io.raylane.rayclient.wire.RayJobDetails(job.type(), "05000000", job.submissionId(),
				new io.raylane.rayclient.wire.RayDriverInfo("05000000", "127.10.3.22", "41877"), job.status(),
				job.entrypoint(), job.message(), null, job.startTime(), null, job.metadata(), job.runtimeEnv(), null,
				null, null);

		assertThat(ObservationDiff.jobObservation(withDriver, T1).orElseThrow().driverNodeIp())
			.isEqualTo("127.10.3.22");
	}

	@Test
	void shouldReportAWorkerRayForgotEntirelyAsDeadOnce() {
		NodeObserved alive = new NodeObserved(1, "w1", "127.10.0.2", "a100", true, 8, Map.of(), T1);
		NodeObserved dead = new NodeObserved(1, "w2", "127.10.0.3", "a100", false, 8, Map.of(), T1);
		NodeObserved listed = new NodeObserved(1, "w3", "127.10.0.4", "a100", true, 8, Map.of(), T1);
		// a restarted head lists only the nodes that joined it, under new ids
		List<io.raylane.rayclient.wire.RayNodeState> answer = List.of(Rays.head("h2"),
				Rays.worker("w3", "127.10.0.4", "a100", 8, true), Rays.worker("w9", "127.10.0.2", "a100", 8, true));

		assertThat(ObservationDiff.vanishedNodes(Map.of("w1", alive, "w2", dead, "w3", listed), answer, T2))
			.as("w1 vanished alive: now dead; w2 was dead already; w3 is listed")
			.containsExactly(new NodeObserved(1, "w1", "127.10.0.2", "a100", false, 8, Map.of(), T2));
	}

	@Test
	void shouldObserveWorkersByTheirPoolResourceOnly() {
		assertThat(ObservationDiff.nodeObservation(Rays.head("h"), T1)).isEmpty();
		assertThat(ObservationDiff.nodeObservation(Rays.worker("w1", "127.10.0.2", "a100", 8.0, true), T1))
			.contains(new NodeObserved(1, "w1", "127.10.0.2", "a100", true, 8,
					Map.of("ray.io/node-id", "w1", "gpu", "a100"), T1));
		assertThat(ObservationDiff.nodeObservation(Rays.worker("w2", "127.10.0.3", "default", 1.5, false), T1))
			.hasValueSatisfying((n) -> {
				assertThat(n.alive()).isFalse();
				assertThat(n.gpus()).isEqualTo(1);
			});
	}

	@Test
	void shouldPublishEverythingTheFirstTime() {
		List<JobObserved> changed = ObservationDiff.changedJobs(Map.of(),
				List.of(Rays.raylaneJob("j1", "a"), Rays.foreignJob("x"), Rays.raylaneJob("j2", "b")), T1);

		assertThat(changed).extracting(JobObserved::jobId).containsExactly("j1", "j2");
	}

	@Test
	void shouldIgnoreAChangeOfObservationTimeOnly() {
		JobObserved last = ObservationDiff.jobObservation(Rays.raylaneJob("j1", "a"), T1).orElseThrow();

		assertThat(ObservationDiff.changedJobs(Map.of("j1", last), List.of(Rays.raylaneJob("j1", "a")), T2)).isEmpty();
	}

	@Test
	void shouldPublishAStatusChange() {
		JobObserved last = ObservationDiff.jobObservation(Rays.raylaneJob("j1", "a"), T1).orElseThrow();

		List<JobObserved> changed = ObservationDiff.changedJobs(Map.of("j1", last),
				List.of(Rays.running(Rays.raylaneJob("j1", "a"), "127.10.0.2")), T2);

		assertThat(changed).singleElement().satisfies((o) -> {
			assertThat(o.rayStatus()).isEqualTo("RUNNING");
			assertThat(o.observedAt()).isEqualTo(T2);
		});
	}

	@Test
	void shouldPublishANodeOnlyWhenItChanges() {
		NodeObserved last = ObservationDiff.nodeObservation(Rays.worker("w1", "127.10.0.2", "a", 8, true), T1)
			.orElseThrow();

		assertThat(ObservationDiff.changedNodes(Map.of("w1", last),
				List.of(Rays.head("h"), Rays.worker("w1", "127.10.0.2", "a", 8, true)), T2))
			.isEmpty();
		assertThat(ObservationDiff.changedNodes(Map.of("w1", last),
				List.of(Rays.head("h"), Rays.worker("w1", "127.10.0.2", "a", 8, false)), T2))
			.extracting(NodeObserved::alive)
			.containsExactly(false);
		assertThat(ObservationDiff.changedNodes(Map.of("w1", last),
				List.of(Rays.worker("w1", "127.10.0.2", "a", 4, true)), T2))
			.extracting(NodeObserved::gpus)
			.containsExactly(4);
	}

}
