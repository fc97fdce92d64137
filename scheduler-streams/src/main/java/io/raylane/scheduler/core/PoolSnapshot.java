package io.raylane.scheduler.core;

import java.util.List;

/**
 * A pool's nodes at one instant, as the planner sees them. Built by the topology from its node table for
 * every planning cycle; the planner never changes it.
 *
 * @param pool the pool name
 * @param nodes every node of the pool the scheduler knows, alive or dead
 */
public record PoolSnapshot(String pool, List<PoolNode> nodes) {

	public PoolSnapshot {
		nodes = List.copyOf(nodes);
	}

	public static PoolSnapshot of(String pool, PoolNode... nodes) {
		return new PoolSnapshot(pool, List.of(nodes));
	}

}
