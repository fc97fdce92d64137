package io.raylane.api.ops;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.job.Resources;
import io.raylane.topics.node.NodeSpec;
import io.raylane.topics.node.NodeState;
import io.raylane.topics.node.NodeView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decisions of the ops operations, as tables: what a drain deadline does to each job,
 * what a Ray head restart does to each job and which workers it re-provisions.
 */
class OpsPlansTest {

	static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

	static Stream<Arguments> drainActions() {
		return Stream.of(Arguments.of(JobStatus.RUNNING, null, DrainPlan.Action.WAIT),
				Arguments.of(JobStatus.RUNNING, T, DrainPlan.Action.STOP),
				Arguments.of(JobStatus.SUBMITTED, T, DrainPlan.Action.STOP),
				Arguments.of(JobStatus.DISPATCHED, T, DrainPlan.Action.STOP),
				Arguments.of(JobStatus.DISPATCHED, null, DrainPlan.Action.WAIT),
				Arguments.of(JobStatus.SUCCEEDED, T, DrainPlan.Action.NONE),
				Arguments.of(JobStatus.STOPPED, null, DrainPlan.Action.NONE),
				Arguments.of(null, T, DrainPlan.Action.NONE));
	}

	@ParameterizedTest(name = "{0}, deadline {1} -> {2}")
	@MethodSource("drainActions")
	void drainAction(JobStatus status, Instant deadline, DrainPlan.Action want) {
		assertThat(DrainPlan.action(status, deadline)).isEqualTo(want);
	}

	@Test
	void shouldListEveryJobOnTheNodeWithItsFate() {
		NodeView node = node("gpu-1", NodeState.ONLINE, null, List.of("rl-a", "rl-b", "rl-unknown"));
		Map<String, JobView> views = Map.of("rl-a", job("rl-a", JobStatus.RUNNING), "rl-b",
				job("rl-b", JobStatus.SUCCEEDED));

		List<OpsResponses.JobAction> lines = DrainPlan.jobs(node, T, (id) -> Optional.ofNullable(views.get(id)));

		assertThat(lines).containsExactly(new OpsResponses.JobAction("rl-a", "alice", "RUNNING", "stop"),
				new OpsResponses.JobAction("rl-b", "alice", "SUCCEEDED", "none"),
				new OpsResponses.JobAction("rl-unknown", null, null, "stop"));
	}

	static Stream<Arguments> restartActions() {
		return Stream.of(Arguments.of(JobStatus.RUNNING, "end"), Arguments.of(JobStatus.SUBMITTED, "end"),
				Arguments.of(JobStatus.DISPATCHED, "resubmit"), Arguments.of(JobStatus.QUEUED, null),
				Arguments.of(JobStatus.ACCEPTED, null), Arguments.of(JobStatus.FAILED, null));
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@MethodSource("restartActions")
	void restartAction(JobStatus status, String want) {
		assertThat(HeadRestartPlan.action(status)).isEqualTo(want);
	}

	@Test
	void shouldPlanTheRestartSortedAndNameTheJobsThatEnd() {
		List<OpsResponses.JobAction> plan = HeadRestartPlan.jobs(List.of(job("rl-c", JobStatus.DISPATCHED),
				job("rl-a", JobStatus.RUNNING), job("rl-b", JobStatus.QUEUED), job("rl-d", JobStatus.SUBMITTED)));

		assertThat(plan).extracting(OpsResponses.JobAction::jobId).containsExactly("rl-a", "rl-c", "rl-d");
		assertThat(HeadRestartPlan.ending(plan)).containsExactly("rl-a", "rl-d");
	}

	static Stream<Arguments> workers() {
		NodeSpec head = new NodeSpec("head", "127.10.0.2", 22, "ray", "default", Map.of(), 0, null, "head", null);
		return Stream.of(Arguments.of("online worker", node("w", NodeState.ONLINE, spec("w"), List.of()), true),
				Arguments.of("draining worker", node("w", NodeState.DRAINING, spec("w"), List.of()), true),
				Arguments.of("provisioning worker", node("w", NodeState.PROVISIONING, spec("w"), List.of()), true),
				Arguments.of("offline worker", node("w", NodeState.OFFLINE, spec("w"), List.of()), false),
				Arguments.of("failed worker", node("w", NodeState.FAILED, spec("w"), List.of()), false),
				Arguments.of("the head itself", node("head", NodeState.ONLINE, head, List.of()), false), Arguments
					.of("a node Ray knows but nobody registered", node("x", NodeState.ONLINE, null, List.of()), false));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("workers")
	void reprovisioned(String scenario, NodeView node, boolean want) {
		assertThat(HeadRestartPlan.reprovisioned(node)).isEqualTo(want);
	}

	static NodeSpec spec(String id) {
		return new NodeSpec(id, "127.10.0.7", 22, "ray", "default", Map.of(), 4, null);
	}

	static NodeView node(String id, NodeState state, NodeSpec spec, List<String> jobs) {
		return new NodeView(1, id, "127.10.0.7", "default", state, null, 4, 0, Map.of(), jobs, T, 22, "ray", spec);
	}

	static JobView job(String id, JobStatus status) {
		return JobView.builder()
			.jobId(id)
			.user("alice")
			.name("job")
			.workload("command")
			.pool("default")
			.status(status)
			.resources(Resources.of(1, 1))
			.submittedAt(T)
			.updatedAt(T)
			.build();
	}

}
