package io.raylane.scheduler.core;

import java.util.List;

/**
 * A pool's nodes at one instant, as the planner sees them, with when the GPUs held by
 * running jobs come back. Built by the topology from its node table for every planning
 * cycle; the planner never changes it.
 *
 * @param pool the pool name
 * @param nodes every node of the pool the scheduler knows, alive or dead
 * @param releases GPUs held by running jobs and the deadlines at which they come back
 */
public record PoolSnapshot(String pool, List<PoolNode> nodes, List<Release> releases) {

	public PoolSnapshot {
		nodes = List.copyOf(nodes);
		releases = (releases != null) ? List.copyOf(releases) : List.of();
	}

	public PoolSnapshot(String pool, List<PoolNode> nodes) {
		this(pool, nodes, List.of());
	}

	public static PoolSnapshot of(String pool, PoolNode... nodes) {
		return new PoolSnapshot(pool, List.of(nodes));
	}

	public PoolSnapshot withReleases(List<Release> running) {
		return new PoolSnapshot(this.pool, this.nodes, running);
	}

}
