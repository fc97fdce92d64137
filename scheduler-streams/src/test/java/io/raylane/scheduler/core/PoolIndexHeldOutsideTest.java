package io.raylane.scheduler.core;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The index keeps apart the nodes that take work and have GPUs held outside Raylane
 * (issue 17: a gang's "held outside" reason reads only those), and keeps that set right
 * as nodes change: exactly the nodes a scan of the whole pool would find.
 */
class PoolIndexHeldOutsideTest {

	@Test
	void followsEveryChangeOfANode() {
		PoolIndex index = new PoolIndex("default");
		index.put(PoolNode.online("gpu-2", 8, 8).withHeldOutside(2), List.of());
		index.put(PoolNode.online("gpu-1", 8, 8).withHeldOutside(4), List.of());
		index.put(PoolNode.online("gpu-3", 8, 8), List.of());
		assertThat(ids(index)).containsExactly("gpu-1", "gpu-2").isEqualTo(scan(index));

		// the GPUs held outside are given back
		index.put(PoolNode.online("gpu-2", 8, 8), List.of());
		assertThat(ids(index)).containsExactly("gpu-1").isEqualTo(scan(index));

		// a node that stops taking work (draining, dead) cannot block a gang
		index.put(PoolNode.draining("gpu-1", 8, 4).withHeldOutside(4), List.of());
		index.put(PoolNode.offline("gpu-3", 8, 8).withHeldOutside(8), List.of());
		assertThat(ids(index)).isEmpty();
		assertThat(scan(index)).isEmpty();

		// back to work, then forgotten
		index.put(PoolNode.online("gpu-1", 8, 8).withHeldOutside(1), List.of());
		assertThat(ids(index)).containsExactly("gpu-1").isEqualTo(scan(index));
		index.remove("gpu-1");
		assertThat(ids(index)).isEmpty();
	}

	@Test
	void theReasonNamesTheSameNodesAsBefore() {
		PoolIndex index = new PoolIndex("default");
		index.put(PoolNode.online("gpu-1", 8, 8).withHeldOutside(4), List.of());
		index.put(PoolNode.online("gpu-2", 8, 2), List.of());
		QueuedJob job = new QueuedJob("j", java.time.Instant.EPOCH, 1, 8);
		assertThat(Reasons.noFit(index, job, 0, java.util.Map.of()).code()).isEqualTo(Reasons.HELD_OUTSIDE);
		assertThat(Reasons.noFit(index, job, 0, java.util.Map.of()).detail())
			.isEqualTo("needs 1 node with 8 GPUs free; has 0 of 1: 4 GPUs on node gpu-1 held outside Raylane"
					+ " (Ray jobs or actors Raylane did not submit)");
		// with nothing held outside, the plain shortage
		index.put(PoolNode.online("gpu-1", 8, 4), List.of());
		assertThat(Reasons.noFit(index, job, 0, java.util.Map.of()).code()).isEqualTo(Reasons.INSUFFICIENT_NODES);
	}

	private static List<String> ids(PoolIndex index) {
		return index.takingWorkWithHeldOutside().stream().map(PoolNode::nodeId).toList();
	}

	/** What the reason read before: every node of the pool, filtered. */
	private static List<String> scan(PoolIndex index) {
		return index.nodes()
			.stream()
			.filter(PoolNode::takesWork)
			.filter((node) -> node.heldOutside() > 0)
			.map(PoolNode::nodeId)
			.sorted()
			.toList();
	}

}
