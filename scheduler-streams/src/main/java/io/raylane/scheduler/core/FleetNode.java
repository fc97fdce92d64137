package io.raylane.scheduler.core;

import java.time.Instant;

import io.raylane.topics.node.NodeSpec;
import io.raylane.topics.node.NodeState;

/**
 * What the scheduler knows of a node an operator registered (the fleet): its spec, its
 * lifecycle state and the facts {@link NodeLifecycle} decides on. A value; the topology
 * keeps it in the node table row.
 *
 * @param spec the registered NodeSpec
 * @param state lifecycle state
 * @param reason why it is in that state (null when plainly ONLINE)
 * @param rayNodeId Ray's id of the node once the observer matched it (by IP = spec host)
 * @param drainDeadline when a drain stops the jobs still running (null: wait for them)
 * @param missedSince first observation of Ray reporting the node dead, while not yet
 * declared lost
 * @param attempts provisioning attempts so far
 * @param decommission the drain ends the node's membership (DELETE), not just its service
 * @param stopSent Ray's stop was asked of the node-agent for this drain
 * @param rayDrained Ray was asked to drain the node's current Ray id
 * ({@code DrainOnRay}); Ray cannot take that back, so only a restart of Ray brings the
 * node back
 * @param restartAfterStop an undrain came after Ray was drained or stopped: the node is
 * provisioned again once Ray has stopped there
 * @param revivals re-provisionings after Ray reported the node dead, counted while each
 * came within {@link NodeRecovery#stableAfter()} of the one before
 * @param revivedAt when the last of them was asked
 * @param drainReason the operator's reason for the current drain
 * ({@code POST /v1/ops/drain_node}), carried into the reason of the jobs its deadline
 * stops; null when none was given (and in rows stored before issue 16)
 */
public record FleetNode(NodeSpec spec, NodeState state, String reason, String rayNodeId, Instant drainDeadline,
		Instant missedSince, int attempts, boolean decommission, boolean stopSent, boolean rayDrained,
		boolean restartAfterStop, int revivals, Instant revivedAt, String drainReason) {

	/** A node outside any operator's drain reason (the fields before issue 16). */
	public FleetNode(NodeSpec spec, NodeState state, String reason, String rayNodeId, Instant drainDeadline,
			Instant missedSince, int attempts, boolean decommission, boolean stopSent, boolean rayDrained,
			boolean restartAfterStop, int revivals, Instant revivedAt) {
		this(spec, state, reason, rayNodeId, drainDeadline, missedSince, attempts, decommission, stopSent, rayDrained,
				restartAfterStop, revivals, revivedAt, null);
	}

	/** A node just registered, before its first provisioning. */
	static FleetNode registered(NodeSpec spec) {
		return new FleetNode(spec, NodeState.REGISTERED, null, null, null, null, 0, false, false, false, false, 0,
				null);
	}

	/**
	 * Whether new jobs may land on the node: ONLINE and not suspected lost; never the Ray
	 * head (issue 16), which runs no job.
	 */
	public boolean schedulable() {
		return this.state == NodeState.ONLINE && this.missedSince == null && !this.spec.isHead();
	}

	FleetNode with(NodeState state, String reason) {
		return new FleetNode(this.spec, state, reason, this.rayNodeId, this.drainDeadline, this.missedSince,
				this.attempts, this.decommission, this.stopSent, this.rayDrained, this.restartAfterStop, this.revivals,
				this.revivedAt, this.drainReason);
	}

	FleetNode seen(String rayNodeId, Instant missedSince) {
		return new FleetNode(this.spec, this.state, this.reason, rayNodeId, this.drainDeadline, missedSince,
				this.attempts, this.decommission, this.stopSent, this.rayDrained, this.restartAfterStop, this.revivals,
				this.revivedAt, this.drainReason);
	}

	FleetNode draining(Instant deadline, boolean decommission, String reason) {
		return draining(deadline, decommission, reason, null);
	}

	FleetNode draining(Instant deadline, boolean decommission, String reason, String drainReason) {
		return new FleetNode(this.spec, NodeState.DRAINING, reason, this.rayNodeId, deadline, this.missedSince,
				this.attempts, decommission, false, this.rayDrained, false, this.revivals, this.revivedAt, drainReason);
	}

	/**
	 * Provisioning asked by an operator (registration, undrain): the count of
	 * re-provisionings after deaths starts again.
	 */
	FleetNode provisioning(NodeSpec spec) {
		return new FleetNode(spec, NodeState.PROVISIONING, "ray start is running over SSH", null, null, null,
				this.attempts + 1, false, false, false, false, 0, null);
	}

	/** Provisioning the scheduler asked itself after Ray reported the node dead. */
	FleetNode reviving(int revivals, Instant at, String reason) {
		return new FleetNode(this.spec, NodeState.PROVISIONING, reason, null, null, null, this.attempts + 1, false,
				false, false, false, revivals, at);
	}

	FleetNode stopping() {
		return new FleetNode(this.spec, this.state, this.reason, this.rayNodeId, this.drainDeadline, this.missedSince,
				this.attempts, this.decommission, true, this.rayDrained, this.restartAfterStop, this.revivals,
				this.revivedAt, this.drainReason);
	}

	FleetNode drainedOnRay(boolean drained) {
		return new FleetNode(this.spec, this.state, this.reason, this.rayNodeId, this.drainDeadline, this.missedSince,
				this.attempts, this.decommission, this.stopSent, drained, this.restartAfterStop, this.revivals,
				this.revivedAt, this.drainReason);
	}

	/** An undrain Ray cannot follow at once: restart Ray once it has stopped. */
	FleetNode restartingAfterStop(String reason) {
		return new FleetNode(this.spec, NodeState.DRAINING, reason, this.rayNodeId, null, this.missedSince,
				this.attempts, false, this.stopSent, this.rayDrained, true, this.revivals, this.revivedAt);
	}

}
