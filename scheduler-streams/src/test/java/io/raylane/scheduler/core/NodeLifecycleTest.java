package io.raylane.scheduler.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.raylane.topics.events.DecommissionNode;
import io.raylane.topics.events.Decommissioned;
import io.raylane.topics.events.DrainDelivered;
import io.raylane.topics.events.DrainNode;
import io.raylane.topics.events.DrainOnRay;
import io.raylane.topics.events.ProvisionFailed;
import io.raylane.topics.events.ProvisionNode;
import io.raylane.topics.events.Provisioned;
import io.raylane.topics.node.NodeSpec;
import io.raylane.topics.node.NodeState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.raylane.topics.node.NodeState.DRAINING;
import static io.raylane.topics.node.NodeState.FAILED;
import static io.raylane.topics.node.NodeState.OFFLINE;
import static io.raylane.topics.node.NodeState.ONLINE;
import static io.raylane.topics.node.NodeState.PROVISIONING;
import static io.raylane.topics.node.NodeState.REGISTERED;
import static org.assertj.core.api.Assertions.assertThat;

class NodeLifecycleTest {

	static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

	static final NodeRecovery RECOVERY = NodeRecovery.defaults();

	static final NodeSpec SPEC = new NodeSpec("gpu-1", "127.10.0.7", 22, "ray", "default", Map.of(), 4, null);

	static FleetNode node(NodeState state) {
		return new FleetNode(SPEC, state, null, (state == ONLINE || state == DRAINING) ? "ray-1" : null, null, null, 1,
				false, false, false, false, 0, null);
	}

	static Stream<Arguments> transitions() {
		return Stream.of(Arguments.of(REGISTERED, List.of(PROVISIONING, DRAINING)),
				Arguments.of(PROVISIONING, List.of(ONLINE, FAILED, DRAINING)),
				Arguments.of(ONLINE, List.of(DRAINING, PROVISIONING, FAILED)),
				Arguments.of(DRAINING, List.of(OFFLINE, ONLINE, FAILED)),
				Arguments.of(OFFLINE, List.of(PROVISIONING, DRAINING)),
				Arguments.of(FAILED, List.of(PROVISIONING, DRAINING)));
	}

	@ParameterizedTest(name = "from {0}")
	@MethodSource("transitions")
	void shouldAllowOnlyTheseChanges(NodeState from, List<NodeState> wantAllowed) {
		for (NodeState to : NodeState.values()) {
			assertThat(NodeLifecycle.isAllowed(from, to)).as("%s -> %s", from, to)
				.isEqualTo(from == to || wantAllowed.contains(to));
		}
	}

	@Test
	void shouldProvisionANewRegistration() {
		NodeLifecycle.Step step = NodeLifecycle.registered(null, SPEC, T);

		assertThat(step.node().state()).isEqualTo(PROVISIONING);
		assertThat(step.node().attempts()).isEqualTo(1);
		assertThat(step.command()).isEqualTo(new ProvisionNode(1, "gpu-1", "default", SPEC, 1, T));
	}

	@Test
	void shouldIgnoreARepeatedRegistrationOfALiveNode() {
		NodeLifecycle.Step step = NodeLifecycle.registered(node(ONLINE), SPEC, T);

		assertThat(step.node()).isEqualTo(node(ONLINE));
		assertThat(step.command()).isNull();
	}

	@Test
	void shouldGoOnlineOnlyWhenRaySeesTheNodeAlive() {
		FleetNode provisioning = NodeLifecycle.registered(null, SPEC, T).node();
		FleetNode started = NodeLifecycle
			.provisioned(provisioning, new Provisioned(1, "gpu-1", "default", "h", 0, "", "", 1, T))
			.node();

		assertThat(started.state()).isEqualTo(PROVISIONING);
		FleetNode online = NodeLifecycle.observed(started, "ray-1", true, RECOVERY, T).node();
		assertThat(online.state()).isEqualTo(ONLINE);
		assertThat(online.rayNodeId()).isEqualTo("ray-1");
		assertThat(online.schedulable()).isTrue();
	}

	@Test
	void shouldFailWithTheReasonAndRetryOnUndrain() {
		FleetNode provisioning = NodeLifecycle.registered(null, SPEC, T).node();
		FleetNode failed = NodeLifecycle
			.provisionFailed(provisioning,
					new ProvisionFailed(1, "gpu-1", "default", "h", "ssh refused: host key unknown", null, "", "", 1,
							T),
					RECOVERY, T)
			.node();

		assertThat(failed.state()).isEqualTo(FAILED);
		assertThat(failed.reason()).contains("ssh refused: host key unknown").contains(":undrain");
		NodeLifecycle.Step retry = NodeLifecycle.undrainRequested(failed, T);
		assertThat(retry.node().state()).isEqualTo(PROVISIONING);
		assertThat(retry.command()).isEqualTo(new ProvisionNode(1, "gpu-1", "default", SPEC, 2, T));
	}

	@Test
	void shouldNotDeclareANodeLostOnOneMissedObservation() {
		NodeLifecycle.Step missed = NodeLifecycle.observed(node(ONLINE), "ray-1", false, RECOVERY, T);

		assertThat(missed.node().state()).isEqualTo(ONLINE);
		assertThat(missed.node().schedulable()).isFalse();
		assertThat(missed.stopJobs()).isEmpty();
		assertThat(NodeLifecycle.lostCheck(missed.node(), RECOVERY, T.plusSeconds(59)).node().state())
			.isEqualTo(ONLINE);
		FleetNode back = NodeLifecycle.observed(missed.node(), "ray-1", true, RECOVERY, T.plusSeconds(5)).node();
		assertThat(back.schedulable()).isTrue();
		FleetNode lost = NodeLifecycle.lostCheck(missed.node(), RECOVERY, T.plusSeconds(60)).node();
		assertThat(lost.state()).as("lost, so provisioned again").isEqualTo(PROVISIONING);
	}

	@Test
	void shouldIgnoreTheDeathOfAnOlderRayIdOfTheNode() {
		FleetNode restarted = node(ONLINE).seen("ray-2", null);

		assertThat(NodeLifecycle.observed(restarted, "ray-1", false, RECOVERY, T).node()).isEqualTo(restarted);
	}

	@Test
	void shouldDrainByWaitingForJobsThenStoppingRay() {
		NodeLifecycle.Step draining = NodeLifecycle.drainRequested(node(ONLINE), null, false, List.of("j1"), T);

		assertThat(draining.node().state()).isEqualTo(DRAINING);
		assertThat(draining.node().schedulable()).isFalse();
		assertThat(draining.command()).as("Ray is told first").isInstanceOf(DrainOnRay.class);
		NodeLifecycle.Step idle = NodeLifecycle.drained(draining.node(), List.of(), T);
		assertThat(idle.command()).isEqualTo(new DrainNode(1, "gpu-1", "default", SPEC, null, T));
		assertThat(NodeLifecycle.drained(idle.node(), List.of(), T).command()).as("ray stop is asked once").isNull();
		NodeLifecycle.Step off = NodeLifecycle.decommissioned(idle.node(),
				new Decommissioned(1, "gpu-1", "default", "h", true, false, 0, "", "", null, T), T);
		assertThat(off.node().state()).isEqualTo(OFFLINE);
		assertThat(off.node().reason()).isEqualTo("drained; ray stop exited 0");
	}

	@Test
	void shouldStopTheRemainingJobsAtTheDrainDeadline() {
		FleetNode draining = NodeLifecycle.drainRequested(node(ONLINE), T.plusSeconds(30), false, List.of("j1"), T)
			.node();

		assertThat(NodeLifecycle.drained(draining, List.of("j1"), T.plusSeconds(29)).stopJobs()).isEmpty();
		assertThat(NodeLifecycle.drained(draining, List.of("j1"), T.plusSeconds(30)).stopJobs()).containsExactly("j1");
	}

	@Test
	void shouldDecommissionAnIdleNodeAtOnce() {
		NodeLifecycle.Step step = NodeLifecycle.drainRequested(node(ONLINE), null, true, List.of(), T);

		assertThat(step.command()).isEqualTo(new DecommissionNode(1, "gpu-1", "default", SPEC, T));
		FleetNode off = NodeLifecycle
			.decommissioned(step.node(), new Decommissioned(1, "gpu-1", "default", "h", true, true, 0, "", "", null, T),
					T)
			.node();
		assertThat(off.reason()).isEqualTo("decommissioned; ray stop --force exited 0");
	}

	@Test
	void shouldFailANodeWhoseRayCouldNotBeStopped() {
		FleetNode stopping = NodeLifecycle.drainRequested(node(ONLINE), null, false, List.of(), T).node();

		FleetNode failed = NodeLifecycle
			.decommissioned(stopping,
					new Decommissioned(1, "gpu-1", "default", "h", false, false, null, "", "",
							"unreachable after 5 attempt(s)", T),
					T)
			.node();

		assertThat(failed.state()).isEqualTo(FAILED);
		assertThat(failed.reason()).isEqualTo("ray stop failed: unreachable after 5 attempt(s)");
	}

	@Test
	void shouldTakeWorkAgainAfterUndrainWhenRayDidNotTakeTheDrain() {
		FleetNode asked = NodeLifecycle.drainRequested(node(ONLINE), null, false, List.of("j1"), T).node();
		FleetNode draining = NodeLifecycle
			.drainDelivered(asked,
					new DrainDelivered(1, "gpu-1", "default", "h", "ray-1", false, 1, "", "", "refused", T))
			.node();

		NodeLifecycle.Step back = NodeLifecycle.undrainRequested(draining, T);

		assertThat(back.node().state()).isEqualTo(ONLINE);
		assertThat(back.node().schedulable()).isTrue();
		assertThat(back.command()).isNull();
	}

}
