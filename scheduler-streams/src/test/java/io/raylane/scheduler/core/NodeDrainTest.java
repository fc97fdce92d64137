package io.raylane.scheduler.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.raylane.topics.events.Decommissioned;
import io.raylane.topics.events.DrainDelivered;
import io.raylane.topics.events.DrainNode;
import io.raylane.topics.events.DrainOnRay;
import io.raylane.topics.events.NodeCommand;
import io.raylane.topics.events.ProvisionNode;
import io.raylane.topics.node.NodeSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.raylane.topics.node.NodeState.DRAINING;
import static io.raylane.topics.node.NodeState.ONLINE;
import static io.raylane.topics.node.NodeState.PROVISIONING;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A drain first tells Ray ({@code ray drain-node}) while Raylane's jobs still run on the
 * node, then stops Ray once they have left (issue 11); Ray cannot take a drain back, so
 * an undrain after it restarts Ray.
 */
class NodeDrainTest {

	static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

	static final NodeSpec SPEC = new NodeSpec("gpu-1", "127.10.0.7", 22, "ray", "default", Map.of(), 4, null);

	static FleetNode online() {
		return new FleetNode(SPEC, ONLINE, null, "ray-1", null, null, 1, false, false, false, false, 0, null);
	}

	static FleetNode suspected() {
		return online().seen("ray-1", T.minusSeconds(5));
	}

	static Stream<Arguments> drains() {
		Instant deadline = T.plusSeconds(600);
		return Stream.of(
				Arguments.of("busy node: Ray is told, with the deadline", online(), deadline, false, List.of("j1"),
						new DrainOnRay(1, "gpu-1", "default", SPEC, "ray-1",
								"raylane: node gpu-1 is draining: no new jobs; running jobs are stopped at "
										+ "2026-01-01T00:10:00Z",
								deadline, T),
						true),
				Arguments.of("busy node decommissioned: Ray is told, no deadline", online(), null, true, List.of("j1"),
						new DrainOnRay(1, "gpu-1", "default", SPEC, "ray-1",
								"raylane: node gpu-1 is decommissioning: no new jobs; waiting for running jobs", null,
								T),
						true),
				Arguments.of("idle node: Ray is stopped at once, no drain needed", online(), null, false, List.of(),
						new DrainNode(1, "gpu-1", "default", SPEC, null, T), false),
				Arguments.of("busy node Ray reports dead: nothing to drain in Ray", suspected(), null, false,
						List.of("j1"), null, false),
				Arguments.of("busy node never seen in Ray: nothing to drain in Ray",
						new FleetNode(SPEC, PROVISIONING, null, null, null, null, 1, false, false, false, false, 0,
								null),
						null, false, List.of("j1"), null, false),
				Arguments.of("drained again with a deadline: Ray was told already",
						online().draining(null, false, "draining").drainedOnRay(true), deadline, false, List.of("j1"),
						null, true));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("drains")
	void drain(String scenario, FleetNode node, Instant deadline, boolean decommission, List<String> jobs,
			NodeCommand wantCommand, boolean wantRayDrained) {
		NodeLifecycle.Step step = NodeLifecycle.drainRequested(node, deadline, decommission, jobs, T);

		assertThat(step.node().state()).isEqualTo(DRAINING);
		assertThat(step.node().schedulable()).isFalse();
		assertThat(step.command()).isEqualTo(wantCommand);
		assertThat(step.node().rayDrained()).isEqualTo(wantRayDrained);
	}

	/**
	 * Issue 16's drain_node: the operator's reason reaches the node's reason, Ray's drain
	 * message and, at the deadline, the reason of every job still running; the same drain
	 * asked again is no second drain.
	 */
	static Stream<Arguments> deadlines() {
		Instant deadline = T.plusSeconds(600);
		FleetNode drainingWithReason = NodeLifecycle
			.drainRequested(online(), deadline, false, "NIC replacement", List.of("j1", "j2"), T)
			.node();
		FleetNode drainingWithout = NodeLifecycle.drainRequested(online(), deadline, false, List.of("j1"), T).node();
		return Stream.of(
				Arguments.of("before the deadline: the jobs run on", drainingWithReason, List.of("j1", "j2"),
						deadline.minusSeconds(1), List.of(), null),
				Arguments.of("at the deadline: every job still there is stopped, with the operator's reason",
						drainingWithReason, List.of("j1", "j2"), deadline, List.of("j1", "j2"),
						"the drain deadline of node gpu-1 passed (drain reason: NIC replacement)"),
				Arguments.of("past the deadline, no reason given: the node's name only", drainingWithout, List.of("j1"),
						deadline.plusSeconds(5), List.of("j1"), "the drain deadline of node gpu-1 passed"),
				Arguments.of("no job left: ray stop, nothing to stop", drainingWithReason, List.of(), deadline,
						List.of(), null));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("deadlines")
	void deadline(String scenario, FleetNode node, List<String> jobs, Instant now, List<String> wantStopped,
			String wantReason) {
		NodeLifecycle.Step step = NodeLifecycle.drained(node, jobs, now);

		assertThat(step.stopJobs()).isEqualTo(wantStopped);
		if (wantReason != null) {
			assertThat(NodeLifecycle.deadlineStopReason(step.node())).isEqualTo(wantReason);
		}
	}

	@Test
	void shouldShowTheOperatorsReasonAndNotDrainTwiceForTheSameRequest() {
		Instant deadline = T.plusSeconds(600);
		NodeLifecycle.Step first = NodeLifecycle.drainRequested(online(), deadline, false, "NIC replacement",
				List.of("j1"), T);
		NodeLifecycle.Step again = NodeLifecycle.drainRequested(first.node(), deadline, false, "NIC replacement",
				List.of("j1"), T.plusSeconds(3));
		NodeLifecycle.Step later = NodeLifecycle.drainRequested(first.node(), deadline.plusSeconds(60), false,
				"NIC replacement", List.of("j1"), T.plusSeconds(3));

		assertThat(first.node().reason()).startsWith("draining (NIC replacement): no new jobs");
		assertThat(first.command()).isInstanceOfSatisfying(DrainOnRay.class,
				(tell) -> assertThat(tell.message()).contains("NIC replacement"));
		assertThat(again.node()).isEqualTo(first.node());
		assertThat(again.command()).isNull();
		assertThat(later.node().drainDeadline()).as("a new deadline is a new drain")
			.isEqualTo(deadline.plusSeconds(60));
	}

	@Test
	void shouldPutTheHeadOnlineOnceRayStartedThereButNeverScheduleOnIt() {
		NodeSpec head = new NodeSpec("head-1", "127.10.0.2", 22, "ray", "head", Map.of(), 0, null, "head", null);
		FleetNode provisioning = NodeLifecycle.registered(null, head, T).node();

		FleetNode up = NodeLifecycle
			.provisioned(provisioning,
					new io.raylane.topics.events.Provisioned(1, "head-1", "head", "127.10.0.2", 0, "", "", 1, T))
			.node();

		assertThat(provisioning.state()).isEqualTo(PROVISIONING);
		assertThat(up.state()).isEqualTo(ONLINE);
		assertThat(up.reason()).contains("Ray head");
		assertThat(up.schedulable()).isFalse();
	}

	@Test
	void shouldNoteRaysAnswerAndGoOnDrainingEitherWay() {
		FleetNode told = NodeLifecycle.drainRequested(online(), null, false, List.of("j1"), T).node();

		FleetNode accepted = NodeLifecycle.drainDelivered(told, delivered(true, null)).node();
		FleetNode refused = NodeLifecycle.drainDelivered(told, delivered(false, "ray drain-node exited 1: busy"))
			.node();

		assertThat(accepted.state()).isEqualTo(DRAINING);
		assertThat(accepted.reason()).endsWith("; Ray drains it too");
		assertThat(accepted.rayDrained()).isTrue();
		assertThat(refused.state()).isEqualTo(DRAINING);
		assertThat(refused.reason()).endsWith("; Ray did not take the drain (ray drain-node exited 1: busy)");
		assertThat(refused.rayDrained()).isFalse();
		assertThat(NodeLifecycle.drainDelivered(online(), delivered(true, null)).node()).as("late answer")
			.isEqualTo(online());
	}

	@Test
	void shouldRestartRayOnUndrainOnceTheJobsLeftANodeRayDrains() {
		FleetNode told = NodeLifecycle.drainRequested(online(), null, false, List.of("j1"), T).node();

		NodeLifecycle.Step undrain = NodeLifecycle.undrainRequested(told, T);

		assertThat(undrain.node().state()).as("Ray would place nothing there").isEqualTo(DRAINING);
		assertThat(undrain.node().reason()).startsWith("undrain requested: Ray cannot take its drain back");
		assertThat(undrain.command()).isNull();
		NodeLifecycle.Step idle = NodeLifecycle.drained(undrain.node(), List.of(), T);
		assertThat(idle.command()).isInstanceOf(DrainNode.class);
		NodeLifecycle.Step stopped = NodeLifecycle.decommissioned(idle.node(),
				new Decommissioned(1, "gpu-1", "default", "127.10.0.7", true, false, 0, "", "", null, T), T);
		assertThat(stopped.node().state()).isEqualTo(PROVISIONING);
		assertThat(stopped.command()).isEqualTo(new ProvisionNode(1, "gpu-1", "default", SPEC, 2, T));
	}

	@Test
	void shouldProvisionAgainAfterAnUndrainThatCameWhileRayWasStopping() {
		FleetNode stopping = NodeLifecycle.drainRequested(online(), null, false, List.of(), T).node();

		FleetNode undrained = NodeLifecycle.undrainRequested(stopping, T).node();
		NodeLifecycle.Step stopped = NodeLifecycle.decommissioned(undrained,
				new Decommissioned(1, "gpu-1", "default", "127.10.0.7", true, false, 0, "", "", null, T), T);

		assertThat(undrained.reason()).endsWith("; ray stop is running");
		assertThat(stopped.command()).isInstanceOf(ProvisionNode.class);
	}

	static DrainDelivered delivered(boolean accepted, String reason) {
		return new DrainDelivered(1, "gpu-1", "default", "127.10.0.7", "ray-1", accepted, accepted ? 0 : 1, "", "",
				reason, T);
	}

}
