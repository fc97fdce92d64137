package io.raylane.scheduler.topology;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.raylane.scheduler.core.NodeRecovery;
import io.raylane.topics.events.NodeObserved;
import io.raylane.topics.events.NodeRegistered;
import io.raylane.topics.events.ProvisionFailed;
import io.raylane.topics.events.ProvisionNode;
import io.raylane.topics.events.Provisioned;
import io.raylane.topics.node.NodeSpec;
import io.raylane.topics.node.NodeState;
import io.raylane.topics.node.NodeView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.raylane.scheduler.topology.SchedulerDriver.NOW;
import static io.raylane.scheduler.topology.SchedulerDriver.POOL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node whose raylet keeps dying, through the real topology with a configured recovery
 * (10 s to be lost, 2 re-provisionings): provisioned again twice on the fleet punctuator
 * alone, then FAILED with the reason, counted as lost.
 */
class NodeRecoveryTopologyTest {

	@TempDir
	Path stateDir;

	@TempDir
	Path sharedRoot;

	SchedulerDriver scheduler;

	@BeforeEach
	void startDriver() {
		this.scheduler = new SchedulerDriver(this.stateDir, this.sharedRoot, SchedulingPolicy.defaults()
			.withNodeRecovery(new NodeRecovery(Duration.ofSeconds(10), 2, Duration.ofMinutes(10))));
	}

	@AfterEach
	void closeDriver() {
		this.scheduler.close();
	}

	@Test
	void shouldProvisionADyingNodeTwiceThenFailItWithTheReason() {
		NodeSpec spec = new NodeSpec("gpu-a", "127.10.0.1", 22, "ray", POOL, Map.of(), 4, null);
		this.scheduler.nodeEvent(new NodeRegistered(1, "gpu-a", POOL, spec, "root", NOW));
		for (int life = 1; life <= 3; life++) {
			String rayId = "ray-" + life;
			this.scheduler.nodeEvent(new Provisioned(1, "gpu-a", POOL, "127.10.0.1", 0, "", "", 1, NOW));
			this.scheduler.nodeEvent(new NodeObserved(1, rayId, "127.10.0.1", POOL, true, 4, Map.of(), NOW));
			assertThat(this.scheduler.nodeView("gpu-a").state()).isEqualTo(NodeState.ONLINE);

			this.scheduler.nodeEvent(new NodeObserved(1, rayId, "127.10.0.1", POOL, false, 4, Map.of(), NOW));
			this.scheduler.advance(Duration.ofSeconds(16));
		}

		NodeView failed = this.scheduler.nodeView("gpu-a");
		assertThat(failed.state()).isEqualTo(NodeState.FAILED);
		assertThat(failed.reason()).startsWith("lost: Ray reports the node dead since ")
			.contains("; 2 re-provisioning(s) did not keep it up for PT10M");
		assertThat(failed.lost()).isTrue();
		assertThat(this.scheduler.nodeCommands).filteredOn((c) -> c instanceof ProvisionNode)
			.extracting((c) -> ((ProvisionNode) c).attempt())
			.containsExactly(1, 2, 3);
	}

	@Test
	void shouldTryAgainWhenTheRestartItselfFailsThenGiveUp() {
		NodeSpec spec = new NodeSpec("gpu-a", "127.10.0.1", 22, "ray", POOL, Map.of(), 4, null);
		this.scheduler.nodeEvent(new NodeRegistered(1, "gpu-a", POOL, spec, "root", NOW));
		this.scheduler.nodeEvent(new Provisioned(1, "gpu-a", POOL, "127.10.0.1", 0, "", "", 1, NOW));
		this.scheduler.nodeEvent(new NodeObserved(1, "ray-1", "127.10.0.1", POOL, true, 4, Map.of(), NOW));
		this.scheduler.nodeEvent(new NodeObserved(1, "ray-1", "127.10.0.1", POOL, false, 4, Map.of(), NOW));
		this.scheduler.advance(Duration.ofSeconds(16));

		ProvisionFailed unreachable = new ProvisionFailed(1, "gpu-a", POOL, "127.10.0.1",
				"unreachable after 5 attempt(s): cannot connect", null, "", "", 5, NOW);
		this.scheduler.nodeEvent(unreachable);
		assertThat(this.scheduler.nodeView("gpu-a").state()).isEqualTo(NodeState.PROVISIONING);
		this.scheduler.nodeEvent(unreachable);

		assertThat(this.scheduler.nodeView("gpu-a").state()).isEqualTo(NodeState.FAILED);
		assertThat(this.scheduler.nodeView("gpu-a").reason())
			.startsWith("re-provisioning after Ray reported the node dead failed (attempt 2 of 2): unreachable");
		assertThat(this.scheduler.nodeCommands).filteredOn((c) -> c instanceof ProvisionNode).hasSize(3);
	}

}
