package io.raylane.scheduler.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import io.raylane.topics.events.ProvisionFailed;
import io.raylane.topics.events.ProvisionNode;
import io.raylane.topics.node.NodeSpec;
import io.raylane.topics.node.NodeState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.raylane.topics.node.NodeState.DRAINING;
import static io.raylane.topics.node.NodeState.FAILED;
import static io.raylane.topics.node.NodeState.ONLINE;
import static io.raylane.topics.node.NodeState.PROVISIONING;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A registered node Ray reports dead (its raylet died: DEAD ≈ 14 s later in Ray 2.60) is
 * provisioned again once declared lost, at most {@code reprovisionAttempts} times in a
 * row, then FAILED with the reason (issue 11).
 */
class NodeRecoveryTest {

	static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

	static final NodeSpec SPEC = new NodeSpec("gpu-1", "127.10.0.7", 22, "ray", "default", Map.of(), 4, null);

	static final NodeRecovery THREE = new NodeRecovery(Duration.ofSeconds(60), 3, Duration.ofMinutes(10));

	static final NodeRecovery OFF = new NodeRecovery(Duration.ofSeconds(60), 0, Duration.ofMinutes(10));

	/** An ONLINE node Ray has reported dead since T, after {@code revivals} revivals. */
	static FleetNode dead(int revivals, Instant revivedAt) {
		return new FleetNode(SPEC, ONLINE, "Ray reports the node dead; no new jobs, not declared lost yet", "ray-1",
				null, T, 4, false, false, false, false, revivals, revivedAt);
	}

	/** A node whose re-provisioning number {@code revivals} is running. */
	static FleetNode reviving(int revivals) {
		return new FleetNode(SPEC, PROVISIONING, "re-provisioning", null, null, null, 4, false, false, false, false,
				revivals, T.minusSeconds(30));
	}

	static ProvisionFailed startFailed() {
		return new ProvisionFailed(1, "gpu-1", "default", "127.10.0.7", "ray start exited 1", 1, "", "", 1, T);
	}

	static Stream<Arguments> recoveries() {
		Instant lost = T.plusSeconds(60);
		return Stream.of(
				Arguments.of("dead for less than lostAfter: still only suspected",
						(Function<FleetNode, NodeLifecycle.Step>) (n) -> NodeLifecycle.lostCheck(n, THREE,
								T.plusSeconds(59)),
						dead(0, null), ONLINE, null, 0, "Ray reports the node dead; no new jobs"),
				Arguments.of("first death: provisioned again, 1 of 3",
						(Function<FleetNode, NodeLifecycle.Step>) (n) -> NodeLifecycle.lostCheck(n, THREE, lost),
						dead(0, null), PROVISIONING, 5, 1,
						"Ray reports the node dead since 2026-01-01T00:00:00Z; ray start is running over SSH "
								+ "(re-provisioning 1 of 3)"),
				Arguments.of("died again 5 min after its re-provisioning: 2 of 3",
						(Function<FleetNode, NodeLifecycle.Step>) (n) -> NodeLifecycle.lostCheck(n, THREE, lost),
						dead(1, T.minus(Duration.ofMinutes(5))), PROVISIONING, 5, 2, "Ray reports the node dead"),
				Arguments.of("a fourth quick death after 3 re-provisionings: FAILED, lost",
						(Function<FleetNode, NodeLifecycle.Step>) (n) -> NodeLifecycle.lostCheck(n, THREE, lost),
						dead(3, T.minus(Duration.ofMinutes(5))), FAILED, null, 3,
						"lost: Ray reports the node dead since 2026-01-01T00:00:00Z; 3 re-provisioning(s) did not "
								+ "keep it up for PT10M; its jobs end as Ray reports them; fix it, then "
								+ "POST /v1/nodes/gpu-1:undrain to retry"),
				Arguments.of("died after running longer than stableAfter: the count starts again",
						(Function<FleetNode, NodeLifecycle.Step>) (n) -> NodeLifecycle.lostCheck(n, THREE, lost),
						dead(3, T.minus(Duration.ofMinutes(11))), PROVISIONING, 5, 1, "Ray reports the node dead"),
				Arguments.of("re-provisioning off: FAILED as soon as lost",
						(Function<FleetNode, NodeLifecycle.Step>) (n) -> NodeLifecycle.lostCheck(n, OFF, lost),
						dead(0, null), FAILED, null, 0,
						"lost: Ray reports the node dead since 2026-01-01T00:00:00Z; re-provisioning is off"),
				Arguments.of("a draining node Ray reports dead is not revived (Ray ends a drained node itself)",
						(Function<FleetNode, NodeLifecycle.Step>) (n) -> NodeLifecycle.lostCheck(n, THREE, lost),
						new FleetNode(SPEC, DRAINING, "draining", "ray-1", null, null, 1, false, true, true, false, 0,
								null),
						DRAINING, null, 0, "draining"),
				Arguments.of("ray start failed on re-provisioning 1: try 2 at once",
						(Function<FleetNode, NodeLifecycle.Step>) (n) -> NodeLifecycle.provisionFailed(n, startFailed(),
								THREE, T),
						reviving(1), PROVISIONING, 5, 2, "re-provisioning after ray start failed (ray start exited 1)"),
				Arguments.of("ray start failed on the last re-provisioning: FAILED with its reason",
						(Function<FleetNode, NodeLifecycle.Step>) (n) -> NodeLifecycle.provisionFailed(n, startFailed(),
								THREE, T),
						reviving(3), FAILED, null, 3,
						"re-provisioning after Ray reported the node dead failed (attempt 3 of 3): ray start exited 1"),
				Arguments.of("an operator's provisioning that failed is not retried",
						(Function<FleetNode, NodeLifecycle.Step>) (n) -> NodeLifecycle.provisionFailed(n, startFailed(),
								THREE, T),
						reviving(0), FAILED, null, 0, "provisioning failed (attempt 4): ray start exited 1"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("recoveries")
	void recover(String scenario, Function<FleetNode, NodeLifecycle.Step> fact, FleetNode node, NodeState wantState,
			Integer wantProvisionAttempt, int wantRevivals, String wantReasonStart) {
		NodeLifecycle.Step step = fact.apply(node);

		assertThat(step.node().state()).isEqualTo(wantState);
		assertThat(step.node().reason()).startsWith(wantReasonStart);
		assertThat(step.node().revivals()).isEqualTo(wantRevivals);
		assertThat(step.stopJobs()).as("a lost node never fails a job by itself").isEmpty();
		if (wantProvisionAttempt == null) {
			assertThat(step.command()).isNull();
		}
		else {
			assertThat(step.command()).isInstanceOfSatisfying(ProvisionNode.class, (p) -> {
				assertThat(p.attempt()).isEqualTo(wantProvisionAttempt);
				assertThat(p.spec()).isEqualTo(SPEC);
			});
			assertThat(step.node().rayNodeId()).as("the next Ray id is a new one").isNull();
			assertThat(step.node().schedulable()).isFalse();
		}
	}

}
