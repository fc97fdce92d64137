package io.raylane.scheduler.topology;

import java.util.List;
import java.util.Map;

import io.raylane.topics.Jobs;
import io.raylane.topics.events.Decommissioned;
import io.raylane.topics.events.DrainDelivered;
import io.raylane.topics.events.DrainNode;
import io.raylane.topics.events.DrainOnRay;
import io.raylane.topics.events.DrainRequested;
import io.raylane.topics.events.NodeObserved;
import io.raylane.topics.events.NodeRegistered;
import io.raylane.topics.events.ProvisionFailed;
import io.raylane.topics.events.ProvisionNode;
import io.raylane.topics.events.Provisioned;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.node.NodeSpec;
import io.raylane.topics.node.NodeState;
import org.junit.jupiter.api.Test;

import static io.raylane.scheduler.topology.SchedulerDriver.NOW;
import static io.raylane.scheduler.topology.SchedulerDriver.POOL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registered nodes through the real topology: provision, online by IP, gang onto them,
 * drain, offline.
 */
class FleetTopologyTest extends TopologyTestSupport {

	static NodeSpec spec(String id, String host) {
		return new NodeSpec(id, host, 22, "ray", POOL, Map.of(), 4, null);
	}

	void online(String id, String host, String rayId) {
		this.scheduler.nodeEvent(new NodeRegistered(1, id, POOL, spec(id, host), "root", NOW));
		this.scheduler.nodeEvent(new Provisioned(1, id, POOL, host, 0, "", "", 1, NOW));
		this.scheduler.nodeEvent(new NodeObserved(1, rayId, host, POOL, true, 4, Map.of(), NOW));
	}

	@Test
	void shouldProvisionRegisteredNodesAndDispatchAGangOnceBothAreOnline() {
		this.scheduler.nodeEvent(new NodeRegistered(1, "gpu-a", POOL, spec("gpu-a", "127.10.0.1"), "root", NOW));
		assertThat(this.scheduler.nodeCommands)
			.containsExactly(new ProvisionNode(1, "gpu-a", POOL, spec("gpu-a", "127.10.0.1"), 1, NOW));
		assertThat(this.scheduler.nodeView("gpu-a").state()).isEqualTo(NodeState.PROVISIONING);
		assertThat(this.scheduler.nodeView("gpu-a").port()).isEqualTo(22);
		this.scheduler.nodeEvent(new NodeRegistered(1, "gpu-b", POOL, spec("gpu-b", "127.10.0.2"), "root", NOW));

		this.scheduler.submit(Jobs.aJob("gang").gang(2, 4).submit());
		assertThat(this.scheduler.job("gang").status()).as("a provisioning node takes no work")
			.isEqualTo(JobStatus.QUEUED);

		this.scheduler.nodeEvent(new Provisioned(1, "gpu-a", POOL, "127.10.0.1", 0, "", "", 1, NOW));
		this.scheduler.nodeEvent(new NodeObserved(1, "ray-a", "127.10.0.1", POOL, true, 4, Map.of(), NOW));
		assertThat(this.scheduler.nodeView("gpu-a").state()).isEqualTo(NodeState.ONLINE);
		assertThat(this.scheduler.job("gang").status()).isEqualTo(JobStatus.QUEUED);
		this.scheduler.nodeEvent(new NodeObserved(1, "ray-b", "127.10.0.2", POOL, true, 4, Map.of(), NOW));

		assertThat(this.scheduler.job("gang").status()).isEqualTo(JobStatus.DISPATCHED);
		assertThat(this.scheduler.job("gang").nodes()).containsExactlyInAnyOrder("gpu-a", "gpu-b");
		assertThat(this.scheduler.nodeViews).noneMatch((v) -> v.nodeId().startsWith("ray-"));
	}

	@Test
	void shouldDrainANodeWithoutNewJobsThenStopRayOnceItsJobEnded() {
		online("gpu-a", "127.10.0.1", "ray-a");
		online("gpu-b", "127.10.0.2", "ray-b");
		this.scheduler.submit(Jobs.aJob("j1").gang(1, 2).submit());
		String busy = this.scheduler.job("j1").nodes().get(0);
		String other = busy.equals("gpu-a") ? "gpu-b" : "gpu-a";

		this.scheduler.nodeEvent(new DrainRequested(1, busy, POOL, null, "root", NOW));
		this.scheduler.submit(Jobs.aJob("j2").gang(1, 2).submit());

		assertThat(this.scheduler.nodeView(busy).state()).isEqualTo(NodeState.DRAINING);
		assertThat(this.scheduler.job("j2").nodes()).containsExactly(other);
		assertThat(this.scheduler.nodeCommands).noneMatch((c) -> c instanceof DrainNode);
		String rayId = busy.equals("gpu-a") ? "ray-a" : "ray-b";
		assertThat(this.scheduler.nodeCommands).as("Ray is told of the drain while j1 runs")
			.filteredOn((c) -> c instanceof DrainOnRay)
			.singleElement()
			.satisfies((c) -> assertThat(((DrainOnRay) c).rayNodeId()).isEqualTo(rayId));
		this.scheduler.nodeEvent(new DrainDelivered(1, busy, POOL, "h", rayId, true, 0, "", "", null, NOW));
		assertThat(this.scheduler.nodeView(busy).reason()).endsWith("Ray drains it too");

		this.scheduler.observe("j1", "SUCCEEDED", 1L, 2L, 0, "done");

		assertThat(this.scheduler.nodeCommands).filteredOn((c) -> c instanceof DrainNode)
			.singleElement()
			.satisfies((c) -> assertThat(c.nodeId()).isEqualTo(busy));
		this.scheduler.nodeEvent(new Decommissioned(1, busy, POOL, "h", true, false, 0, "Stopped", "", null, NOW));
		assertThat(this.scheduler.nodeView(busy).state()).isEqualTo(NodeState.OFFLINE);
		assertThat(this.scheduler.job("j2").status()).as("the other node's job is untouched")
			.isEqualTo(JobStatus.DISPATCHED);
	}

	@Test
	void shouldMarkAFailedProvisioningWithItsReason() {
		this.scheduler.nodeEvent(new NodeRegistered(1, "gpu-a", POOL, spec("gpu-a", "127.10.0.1"), "root", NOW));
		this.scheduler.nodeEvent(new ProvisionFailed(1, "gpu-a", POOL, "127.10.0.1",
				"unreachable after 5 attempt(s): cannot connect", null, "", "", 5, NOW));

		assertThat(this.scheduler.nodeView("gpu-a").state()).isEqualTo(NodeState.FAILED);
		assertThat(this.scheduler.nodeView("gpu-a").reason()).contains("unreachable after 5 attempt(s)");
	}

	@Test
	void shouldStopTheJobsOfADrainingNodeAtItsDeadlineEvenInAQuietPool() {
		online("gpu-a", "127.10.0.1", "ray-a");
		this.scheduler.submit(Jobs.aJob("j1").gang(1, 4).submit());
		this.scheduler.nodeEvent(new DrainRequested(1, "gpu-a", POOL, NOW.plusSeconds(30), "root", NOW));
		assertThat(this.scheduler.commandsFor("j1")).hasSize(1);

		this.scheduler.advance(java.time.Duration.ofSeconds(31));

		assertThat(this.scheduler.commandsFor("j1")).last().isInstanceOf(io.raylane.topics.events.StopOnRay.class);
		assertThat(this.scheduler.job("j1").reason()).contains("stop");
	}

	@Test
	void shouldNotOfferTheGpusOfARegisteredNodeHeldOutsideRaylane() {
		// issue 14 item 3: the observer reports 2 of gpu-a's 4 GPUs held by a Ray job
		// Raylane did not submit
		online("gpu-a", "127.10.0.1", "ray-a");
		this.scheduler.nodeEvent(new NodeObserved(1, "ray-a", "127.10.0.1", POOL, true, 4, Map.of(), NOW, 2));

		this.scheduler.submit(Jobs.aJob("j1").gang(1, 4).submit());

		assertThat(this.scheduler.job("j1").status()).isEqualTo(JobStatus.QUEUED);
		assertThat(this.scheduler.job("j1").reason()).contains("2 GPUs on node gpu-a held outside Raylane");
		assertThat(this.scheduler.nodeView("gpu-a").gpusHeldOutside()).isEqualTo(2);
		this.scheduler.nodeEvent(new NodeObserved(1, "ray-a", "127.10.0.1", POOL, true, 4, Map.of(), NOW, 0));
		assertThat(this.scheduler.job("j1").nodes()).containsExactly("gpu-a");
	}

	@Test
	void shouldProvisionANodeAgainOnlyAfterRayReportedItDeadForAWhile() {
		online("gpu-a", "127.10.0.1", "ray-a");
		// a raylet that died: Ray 2.60 reports the node DEAD about 14 s later
		this.scheduler.nodeEvent(new NodeObserved(1, "ray-a", "127.10.0.1", POOL, false, 4, Map.of(), NOW));

		this.scheduler.advance(java.time.Duration.ofSeconds(30));
		assertThat(this.scheduler.nodeView("gpu-a").state()).isEqualTo(NodeState.ONLINE);
		assertThat(this.scheduler.nodeCommands).hasSize(1);
		this.scheduler.advance(java.time.Duration.ofSeconds(35));

		assertThat(this.scheduler.nodeView("gpu-a").state()).isEqualTo(NodeState.PROVISIONING);
		assertThat(this.scheduler.nodeView("gpu-a").reason()).contains("(re-provisioning 1 of 3)");
		assertThat(this.scheduler.nodeCommands).last()
			.isInstanceOfSatisfying(ProvisionNode.class, (p) -> assertThat(p.attempt()).isEqualTo(2));
		// ray start joins under a new Ray node id; the old one stays DEAD in Ray's list
		this.scheduler.nodeEvent(new Provisioned(1, "gpu-a", POOL, "127.10.0.1", 0, "", "", 2, NOW));
		this.scheduler.nodeEvent(new NodeObserved(1, "ray-a2", "127.10.0.1", POOL, true, 4, Map.of(), NOW));
		assertThat(this.scheduler.nodeView("gpu-a").state()).isEqualTo(NodeState.ONLINE);
		this.scheduler.submit(Jobs.aJob("j1").gang(1, 4).submit());
		assertThat(this.scheduler.job("j1").nodes()).containsExactly("gpu-a");
	}

	@Test
	void shouldReprovisionAFailedNodeRegisteredAgainWithNewCoordinates() {
		this.scheduler.nodeEvent(new NodeRegistered(1, "gpu-a", POOL, spec("gpu-a", "127.10.0.1"), "root", NOW));
		this.scheduler
			.nodeEvent(new ProvisionFailed(1, "gpu-a", POOL, "127.10.0.1", "wrong host", null, "", "", 1, NOW));

		this.scheduler.nodeEvent(new NodeRegistered(1, "gpu-a", POOL, spec("gpu-a", "127.10.0.9"), "root", NOW));
		this.scheduler.nodeEvent(new NodeObserved(1, "ray-a", "127.10.0.9", POOL, true, 4, Map.of(), NOW));

		assertThat(this.scheduler.nodeCommands).filteredOn((c) -> c instanceof ProvisionNode)
			.extracting((c) -> ((ProvisionNode) c).attempt())
			.containsExactly(1, 2);
		assertThat(this.scheduler.nodeView("gpu-a").host()).isEqualTo("127.10.0.9");
		assertThat(this.scheduler.nodeView("gpu-a").state()).isEqualTo(NodeState.ONLINE);
	}

	@Test
	void shouldNotFailAJobWhenItsNodeIsReportedDeadOnce() {
		online("gpu-a", "127.10.0.1", "ray-a");
		this.scheduler.submit(Jobs.aJob("j1").gang(1, 4).submit());

		this.scheduler.nodeEvent(new NodeObserved(1, "ray-a", "127.10.0.1", POOL, false, 4, Map.of(), NOW));

		assertThat(this.scheduler.nodeView("gpu-a").state()).isEqualTo(NodeState.ONLINE);
		assertThat(this.scheduler.nodeView("gpu-a").reason()).contains("not declared lost yet");
		assertThat(this.scheduler.job("j1").status()).isEqualTo(JobStatus.DISPATCHED);
		assertThat(this.scheduler.nodeView("gpu-a").jobs()).isEqualTo(List.of("j1"));
	}

}
