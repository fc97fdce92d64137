package io.raylane.scheduler.core;

/**
 * One node of a pool as the planner sees it: capacity, what is still free, and whether new work may land
 * on it. A snapshot value; the topology builds it from its node table.
 *
 * @param nodeId the node id
 * @param gpus GPUs the node has
 * @param freeGpus GPUs not reserved by any job
 * @param alive Ray reports the node alive
 * @param schedulable the node takes new jobs (alive, and not draining once the fleet issue adds draining)
 */
public record PoolNode(String nodeId, int gpus, int freeGpus, boolean alive, boolean schedulable) {

	/** An alive, schedulable node with {@code freeGpus} of its {@code gpus} free. */
	public static PoolNode online(String nodeId, int gpus, int freeGpus) {
		return new PoolNode(nodeId, gpus, freeGpus, true, true);
	}

	/** A node Ray reports dead: it still counts for the pool's size, but takes no work. */
	public static PoolNode offline(String nodeId, int gpus, int freeGpus) {
		return new PoolNode(nodeId, gpus, freeGpus, false, false);
	}

	/** Whether new work may be placed here at all. */
	public boolean takesWork() {
		return this.alive && this.schedulable;
	}

}
