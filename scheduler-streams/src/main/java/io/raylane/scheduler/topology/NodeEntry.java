package io.raylane.scheduler.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.raylane.scheduler.core.FleetNode;
import io.raylane.scheduler.core.PoolNode;
import io.raylane.scheduler.core.Release;
import io.raylane.topics.events.NodeObserved;
import io.raylane.topics.node.NodeState;
import io.raylane.topics.node.NodeView;

/**
 * A row of the node table (store {@value SchedulerTopology#STORE_NODES}, key =
 * {@code <pool>|<nodeId>}): what Ray reports of the node and which jobs hold how many of
 * its GPUs. A node that dies keeps its allocations until their jobs end, so its GPUs are
 * never handed out twice.
 *
 * @param nodeId the node id
 * @param pool the node's pool
 * @param ip the node's IP
 * @param gpus the node's GPU total
 * @param alive Ray reports it alive
 * @param labels the node's Ray labels
 * @param allocations job id to GPUs reserved on this node
 * @param deadlines job id to the epoch millisecond its GPUs come back at the latest
 * (start + timeout): the planner's reservations sweep these
 * @param fleet the registration and lifecycle of a node an operator registered; null for
 * nodes learned from Ray
 * @param heldOutside GPUs of the node held by Ray jobs or actors Raylane did not submit,
 * as the observer last reported (issue 14 item 3): not offered until they are free
 */
record NodeEntry(String nodeId, String pool, String ip, int gpus, boolean alive, Map<String, String> labels,
		Map<String, Integer> allocations, Map<String, Long> deadlines, FleetNode fleet, int heldOutside) {

	NodeEntry {
		labels = (labels != null) ? Map.copyOf(labels) : Map.of();
		allocations = (allocations != null) ? Map.copyOf(allocations) : Map.of();
		deadlines = (deadlines != null) ? Map.copyOf(deadlines) : Map.of();
		heldOutside = Math.max(0, heldOutside);
	}

	NodeEntry(String nodeId, String pool, String ip, int gpus, boolean alive, Map<String, String> labels,
			Map<String, Integer> allocations, Map<String, Long> deadlines, FleetNode fleet) {
		this(nodeId, pool, ip, gpus, alive, labels, allocations, deadlines, fleet, 0);
	}

	/** The same row with what Ray reports held outside Raylane on the node. */
	NodeEntry withHeldOutside(int held) {
		return new NodeEntry(this.nodeId, this.pool, this.ip, this.gpus, this.alive, this.labels, this.allocations,
				this.deadlines, this.fleet, held);
	}

	/** Sets when the GPUs {@code jobId} holds here come back (its deadline). */
	NodeEntry deadline(String jobId, Instant at) {
		Map<String, Long> next = new TreeMap<>(this.deadlines);
		next.put(jobId, at.toEpochMilli());
		return new NodeEntry(this.nodeId, this.pool, this.ip, this.gpus, this.alive, this.labels, this.allocations,
				next, this.fleet, this.heldOutside);
	}

	/** The running jobs' releases on this node, for the planner's reservations. */
	List<Release> releases() {
		List<Release> result = new ArrayList<>();
		this.allocations.forEach((jobId, held) -> {
			Long at = this.deadlines.get(jobId);
			if (at != null) {
				result.add(new Release(this.nodeId, jobId, held, Instant.ofEpochMilli(at)));
			}
		});
		return result;
	}

	/** A node learned from Ray alone (no registration). */
	NodeEntry(String nodeId, String pool, String ip, int gpus, boolean alive, Map<String, String> labels,
			Map<String, Integer> allocations) {
		this(nodeId, pool, ip, gpus, alive, labels, allocations, Map.of(), null);
	}

	static NodeEntry observed(NodeEntry previous, NodeObserved observed) {
		Map<String, Integer> allocations = (previous != null) ? previous.allocations() : Map.of();
		Map<String, Long> deadlines = (previous != null) ? previous.deadlines() : Map.of();
		FleetNode fleet = (previous != null) ? previous.fleet() : null;
		return new NodeEntry(observed.nodeId(), observed.pool(), observed.nodeIp(), Math.max(0, observed.gpus()),
				observed.alive(), observed.labels(), allocations, deadlines, fleet, observed.gpusHeldOutside());
	}

	/**
	 * A registered node (fleet issue): keyed by its registered id, matched to Ray's node
	 * by IP.
	 */
	static NodeEntry registered(FleetNode fleet) {
		return new NodeEntry(fleet.spec().nodeId(), fleet.spec().poolOrDefault(), fleet.spec().host(),
				fleet.spec().gpusOrZero(), false, fleet.spec().labels(), Map.of(), Map.of(), fleet);
	}

	/**
	 * The same row with Ray's current view of the node (alive, GPUs, labels) and the
	 * fleet state.
	 */
	NodeEntry withRay(boolean alive, int gpus, Map<String, String> labels, FleetNode fleet) {
		return new NodeEntry(this.nodeId, this.pool, this.ip, gpus, alive, labels, this.allocations, this.deadlines,
				fleet, this.heldOutside);
	}

	NodeEntry withAllocations(Map<String, Integer> allocations) {
		// deadlines of jobs no longer allocated here are never read (releases() walks the
		// allocations)
		return new NodeEntry(this.nodeId, this.pool, this.ip, this.gpus, this.alive, this.labels, allocations,
				this.deadlines, this.fleet, this.heldOutside);
	}

	NodeEntry withFleet(FleetNode fleet) {
		return new NodeEntry(this.nodeId, this.pool, this.ip, this.gpus, this.alive, this.labels, this.allocations,
				this.deadlines, fleet, this.heldOutside);
	}

	NodeEntry reserve(String jobId, int gpus) {
		Map<String, Integer> next = new TreeMap<>(this.allocations);
		next.put(jobId, gpus);
		return new NodeEntry(this.nodeId, this.pool, this.ip, this.gpus, this.alive, this.labels, next, this.deadlines,
				this.fleet, this.heldOutside);
	}

	NodeEntry release(String jobId) {
		Map<String, Integer> next = new TreeMap<>(this.allocations);
		next.remove(jobId);
		Map<String, Long> nextDeadlines = new TreeMap<>(this.deadlines);
		nextDeadlines.remove(jobId);
		return new NodeEntry(this.nodeId, this.pool, this.ip, this.gpus, this.alive, this.labels, next, nextDeadlines,
				this.fleet, this.heldOutside);
	}

	int allocatedGpus() {
		return this.allocations.values().stream().mapToInt(Integer::intValue).sum();
	}

	PoolNode toPoolNode() {
		int free = Math.max(0, this.gpus - allocatedGpus());
		// a registered node takes work only when ONLINE (not provisioning, draining or
		// suspected lost)
		boolean schedulable = this.alive && (this.fleet == null || this.fleet.schedulable());
		// GPUs held outside Raylane are not offered until Ray reports them free
		return new PoolNode(this.nodeId, this.gpus, free, this.alive, schedulable, this.labels)
			.withHeldOutside(this.heldOutside);
	}

	/**
	 * Whether the fleet's time-driven rules have anything to check on this node: a drain
	 * deadline with jobs still on it, or a node Ray stopped reporting. The stores keep
	 * these apart so a tick reads only them (issue 17).
	 */
	boolean timeDriven() {
		return this.fleet != null && ((this.fleet.state() == NodeState.DRAINING && this.fleet.drainDeadline() != null
				&& !jobs().isEmpty()) || this.fleet.missedSince() != null);
	}

	List<String> jobs() {
		return this.allocations.keySet().stream().sorted().toList();
	}

	NodeView toView(Instant now) {
		if (this.fleet != null) {
			return new NodeView(NodeView.SCHEMA_VERSION, this.nodeId, this.ip, this.pool, this.fleet.state(),
					this.fleet.reason(), this.gpus, allocatedGpus(), this.labels, jobs(), now,
					this.fleet.spec().portOrDefault(), this.fleet.spec().user(), this.fleet.spec())
				.withGpusHeldOutside(this.heldOutside);
		}
		return new NodeView(NodeView.SCHEMA_VERSION, this.nodeId, this.ip, this.pool,
				this.alive ? NodeState.ONLINE : NodeState.OFFLINE, this.alive ? null : "Ray reports the node dead",
				this.gpus, allocatedGpus(), this.labels, jobs(), now)
			.withGpusHeldOutside(this.heldOutside);
	}

}
