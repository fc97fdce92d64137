package io.raylane.scheduler.core;

import java.util.Map;

/**
 * One node of a pool as the planner sees it: capacity, what is still free, whether new
 * work may land on it, and its labels (matched against a job's {@code node_selector}). A
 * snapshot value; the topology builds it from its node table.
 *
 * @param nodeId the node id
 * @param gpus GPUs the node has
 * @param freeGpus GPUs not reserved by any job
 * @param alive Ray reports the node alive
 * @param schedulable the node takes new jobs (alive, and not draining)
 * @param labels the node's labels (Ray labels or its node spec's)
 * @param heldOutside GPUs that Ray jobs or actors Raylane did not submit hold on the node
 * (issue 14 item 3); already taken out of {@code freeGpus}
 */
public record PoolNode(String nodeId, int gpus, int freeGpus, boolean alive, boolean schedulable,
		Map<String, String> labels, int heldOutside) {

	public PoolNode {
		labels = (labels != null) ? Map.copyOf(labels) : Map.of();
		heldOutside = Math.max(0, heldOutside);
	}

	public PoolNode(String nodeId, int gpus, int freeGpus, boolean alive, boolean schedulable,
			Map<String, String> labels) {
		this(nodeId, gpus, freeGpus, alive, schedulable, labels, 0);
	}

	public PoolNode(String nodeId, int gpus, int freeGpus, boolean alive, boolean schedulable) {
		this(nodeId, gpus, freeGpus, alive, schedulable, Map.of());
	}

	/**
	 * The same node with {@code gpus} of its free GPUs held outside Raylane: they are no
	 * longer free.
	 */
	public PoolNode withHeldOutside(int held) {
		int taken = Math.max(0, held);
		return new PoolNode(this.nodeId, this.gpus, Math.max(0, this.freeGpus - taken), this.alive, this.schedulable,
				this.labels, taken);
	}

	/** An alive, schedulable node with {@code freeGpus} of its {@code gpus} free. */
	public static PoolNode online(String nodeId, int gpus, int freeGpus) {
		return new PoolNode(nodeId, gpus, freeGpus, true, true);
	}

	/**
	 * A node Ray reports dead: it still counts for the pool's size, but takes no work.
	 */
	public static PoolNode offline(String nodeId, int gpus, int freeGpus) {
		return new PoolNode(nodeId, gpus, freeGpus, false, false);
	}

	/** An alive node being drained: its jobs finish, but it takes no new work. */
	public static PoolNode draining(String nodeId, int gpus, int freeGpus) {
		return new PoolNode(nodeId, gpus, freeGpus, true, false);
	}

	public PoolNode withLabels(Map<String, String> nodeLabels) {
		return new PoolNode(this.nodeId, this.gpus, this.freeGpus, this.alive, this.schedulable, nodeLabels,
				this.heldOutside);
	}

	/** Whether new work may be placed here at all. */
	public boolean takesWork() {
		return this.alive && this.schedulable;
	}

	/** Alive but not schedulable: the node is being drained. */
	public boolean isDraining() {
		return this.alive && !this.schedulable;
	}

	/** Whether the node carries every label of {@code selector}. */
	public boolean matches(Map<String, String> selector) {
		for (Map.Entry<String, String> wanted : selector.entrySet()) {
			if (!wanted.getValue().equals(this.labels.get(wanted.getKey()))) {
				return false;
			}
		}
		return true;
	}

}
