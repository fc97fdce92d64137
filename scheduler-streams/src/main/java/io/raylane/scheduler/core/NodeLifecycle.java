package io.raylane.scheduler.core;

import java.time.Instant;
import java.util.List;

import io.raylane.topics.events.DecommissionNode;
import io.raylane.topics.events.Decommissioned;
import io.raylane.topics.events.DrainDelivered;
import io.raylane.topics.events.DrainNode;
import io.raylane.topics.events.DrainOnRay;
import io.raylane.topics.events.NodeCommand;
import io.raylane.topics.events.ProvisionFailed;
import io.raylane.topics.events.ProvisionNode;
import io.raylane.topics.events.Provisioned;
import io.raylane.topics.node.NodeSpec;
import io.raylane.topics.node.NodeState;
import io.raylane.topics.node.NodeView;

/**
 * The fleet's node lifecycle in one place, pure:
 * {@code REGISTERED → PROVISIONING → ONLINE → DRAINING → OFFLINE}, {@code FAILED} when
 * provisioning fails (an undrain or a new registration retries it). Each method takes the
 * node as it is and one fact, and returns the node as it becomes plus what to do (a
 * command for the node-agent, jobs to stop). A late or duplicated fact never moves a node
 * backwards: {@link #isAllowed} lists every change the methods make.
 * <p>
 * A drain of a node that still runs jobs first tells Ray ({@link DrainOnRay}), so Ray
 * places no new work there either; Ray is stopped once Raylane's jobs have left.
 * <p>
 * Hysteresis (dstack#2346): one observation of Ray reporting the node dead only suspends
 * new work on it; it is declared lost only when Ray still reports it dead
 * {@code lostAfter} later, and no job is ever failed for it here (a job's end is what Ray
 * reports of the job). A lost node is provisioned again ({@link NodeRecovery}), and
 * FAILED with the reason when that keeps not working.
 */
public final class NodeLifecycle {

	private NodeLifecycle() {
	}

	/**
	 * The outcome of one fact: the node's next value, an optional command, jobs to stop
	 * (drain deadline).
	 */
	public record Step(FleetNode node, NodeCommand command, List<String> stopJobs) {

		static Step of(FleetNode node) {
			return new Step(node, null, List.of());
		}

		static Step of(FleetNode node, NodeCommand command) {
			return new Step(node, command, List.of());
		}

	}

	public static boolean isAllowed(NodeState from, NodeState to) {
		if (from == to) {
			return true;
		}
		return switch (from) {
			case REGISTERED -> to == NodeState.PROVISIONING || to == NodeState.DRAINING;
			case PROVISIONING -> to == NodeState.ONLINE || to == NodeState.FAILED || to == NodeState.DRAINING;
			// PROVISIONING / FAILED: a lost node re-provisioned, or given up (issue 11)
			case ONLINE -> to == NodeState.DRAINING || to == NodeState.PROVISIONING || to == NodeState.FAILED;
			case DRAINING -> to == NodeState.OFFLINE || to == NodeState.ONLINE || to == NodeState.FAILED;
			// a stopped or failed node comes back only by being provisioned again
			case OFFLINE, FAILED -> to == NodeState.PROVISIONING || to == NodeState.DRAINING;
		};
	}

	/**
	 * A registration: a new node (or one that is OFFLINE or FAILED) is provisioned;
	 * others are left alone.
	 */
	public static Step registered(FleetNode current, NodeSpec spec, Instant now) {
		if (current != null && current.state() != NodeState.OFFLINE && current.state() != NodeState.FAILED) {
			return Step.of(current);
		}
		FleetNode registered = (current != null) ? current : FleetNode.registered(spec);
		return provision(registered, spec, now);
	}

	/**
	 * ray start exited 0: the node is ONLINE once Ray reports it alive with its pool
	 * resource.
	 */
	public static Step provisioned(FleetNode node, Provisioned event) {
		if (node.state() != NodeState.PROVISIONING) {
			return Step.of(node);
		}
		if (node.spec().isHead()) {
			// the observer maps Ray nodes to pools by their pool resource, which the head
			// has not: no report of it will come, ray start --head is all there is
			return Step.of(node.with(NodeState.ONLINE, "Ray head (ray start --head succeeded); runs no job"));
		}
		return Step.of(node.with(NodeState.PROVISIONING, "ray start succeeded; waiting for Ray to report the node"));
	}

	/**
	 * ray start did not work: FAILED with the agent's reason, unless this was a
	 * re-provisioning after a death with tries left (the agent's own retries already
	 * spaced this one out).
	 */
	public static Step provisionFailed(FleetNode node, ProvisionFailed event, NodeRecovery recovery, Instant now) {
		if (node.state() != NodeState.PROVISIONING) {
			return Step.of(node);
		}
		if (node.revivals() > 0 && node.revivals() < recovery.reprovisionAttempts()) {
			return revive(node, node.revivals() + 1, recovery,
					"re-provisioning after ray start failed (" + event.reason() + ")", now);
		}
		String what = (node.revivals() > 0)
				? "re-provisioning after Ray reported the node dead failed (attempt " + node.revivals() + " of "
						+ recovery.reprovisionAttempts() + ")"
				: "provisioning failed (attempt " + node.attempts() + ")";
		return Step.of(node.with(NodeState.FAILED, what + ": " + event.reason() + "; fix it, then POST /v1/nodes/"
				+ node.spec().nodeId() + ":undrain to retry"));
	}

	/**
	 * Ray's view of the node. Alive: a provisioning (or registered) node becomes ONLINE
	 * and a suspicion is cleared. Dead: a report about an older Ray id of the node is
	 * stale; the first one suspends new work, a report {@code lostAfter} later declares
	 * the node lost.
	 */
	public static Step observed(FleetNode node, String rayNodeId, boolean alive, NodeRecovery recovery, Instant now) {
		if (alive) {
			FleetNode seen = node.seen(rayNodeId, null);
			if (node.state() == NodeState.PROVISIONING || node.state() == NodeState.REGISTERED) {
				return Step.of(seen.with(NodeState.ONLINE, null));
			}
			if (node.state() == NodeState.ONLINE) {
				return Step.of(seen.with(NodeState.ONLINE, null));
			}
			return Step.of(seen);
		}
		if (node.rayNodeId() != null && !node.rayNodeId().equals(rayNodeId)) {
			return Step.of(node);
		}
		if (node.state() != NodeState.ONLINE) {
			return Step.of(node);
		}
		if (node.missedSince() == null) {
			return Step.of(node.seen(rayNodeId, now)
				.with(NodeState.ONLINE, "Ray reports the node dead; no new jobs, not declared lost yet"));
		}
		return lostCheck(node, recovery, now);
	}

	/**
	 * Declares a suspected node lost once Ray has reported it dead for {@code lostAfter}:
	 * it is provisioned again while tries are left, else FAILED.
	 */
	public static Step lostCheck(FleetNode node, NodeRecovery recovery, Instant now) {
		if (node.state() != NodeState.ONLINE || node.missedSince() == null
				|| now.isBefore(node.missedSince().plus(recovery.lostAfter()))) {
			return Step.of(node);
		}
		String dead = "Ray reports the node dead since " + node.missedSince();
		// the deaths before count only while the node never ran stableAfter in between
		boolean again = node.revivedAt() != null && now.isBefore(node.revivedAt().plus(recovery.stableAfter()));
		int before = again ? node.revivals() : 0;
		if (before < recovery.reprovisionAttempts()) {
			return revive(node, before + 1, recovery, dead, now);
		}
		// NodeView.lost() (the api's raylane_nodes_lost) recognises a lost node by this
		// prefix
		return Step.of(node.with(NodeState.FAILED,
				NodeView.LOST_REASON_PREFIX + ": " + dead + "; "
						+ ((recovery.reprovisionAttempts() == 0) ? "re-provisioning is off"
								: recovery.reprovisionAttempts() + " re-provisioning(s) did not keep it up for "
										+ recovery.stableAfter())
						+ "; its jobs end as Ray reports them; fix it, then POST /v1/nodes/" + node.spec().nodeId()
						+ ":undrain to retry"));
	}

	/**
	 * A drain (or a decommission): no new jobs; once none holds the node, Ray is stopped
	 * on it.
	 */
	public static Step drainRequested(FleetNode node, Instant deadline, boolean decommission, List<String> jobs,
			Instant now) {
		return drainRequested(node, deadline, decommission, null, jobs, now);
	}

	/**
	 * A drain with the operator's reason ({@code POST /v1/ops/drain_node}): the same
	 * drain, its reason shown on the node and carried into the reason of the jobs the
	 * deadline stops. The same drain asked again (same deadline, same reason) changes
	 * nothing.
	 */
	public static Step drainRequested(FleetNode node, Instant deadline, boolean decommission, String drainReason,
			List<String> jobs, Instant now) {
		if ((node.state() == NodeState.OFFLINE && !decommission)
				|| (node.state() == NodeState.DRAINING && node.stopSent())) {
			return Step.of(node);
		}
		if (node.state() == NodeState.DRAINING && !decommission && !node.decommission()
				&& java.util.Objects.equals(node.drainDeadline(), deadline)
				&& java.util.Objects.equals(node.drainReason(), drainReason)) {
			// idempotent: a repeated drain_node neither tells Ray again nor moves
			// anything
			return Step.of(node);
		}
		String reason = (decommission ? "decommissioning" : "draining")
				+ ((drainReason != null) ? " (" + drainReason + ")" : "") + ": no new jobs"
				+ ((deadline != null) ? "; running jobs are stopped at " + deadline : "; waiting for running jobs");
		FleetNode draining = node.draining(deadline, decommission, reason, drainReason);
		if (jobs.isEmpty() || draining.rayDrained() || draining.rayNodeId() == null || draining.missedSince() != null) {
			// idle: ray stop comes at once; or Ray knows already, or has no live node to
			// drain
			return drained(draining, jobs, now);
		}
		// Ray too stops placing work there (its own tasks and actors, other drivers)
		// while
		// Raylane's jobs finish
		DrainOnRay tell = new DrainOnRay(DrainOnRay.SCHEMA_VERSION, node.spec().nodeId(), node.spec().poolOrDefault(),
				node.spec(), draining.rayNodeId(), "raylane: node " + node.spec().nodeId() + " is " + reason, deadline,
				now);
		return Step.of(draining.drainedOnRay(true), tell);
	}

	/**
	 * Ray answered the drain: refused, the node can still go back to ONLINE at once on
	 * undrain; either way Raylane's drain goes on.
	 */
	public static Step drainDelivered(FleetNode node, DrainDelivered event) {
		if (node.state() != NodeState.DRAINING || !node.rayDrained()
				|| (event.rayNodeId() != null && !event.rayNodeId().equals(node.rayNodeId()))) {
			return Step.of(node);
		}
		if (event.accepted()) {
			return Step.of(node.with(NodeState.DRAINING, node.reason() + "; Ray drains it too"));
		}
		return Step.of(node.drainedOnRay(false)
			.with(NodeState.DRAINING, node.reason() + "; Ray did not take the drain (" + event.reason() + ")"));
	}

	/**
	 * A draining node after its jobs changed: with none left, ask the agent to stop Ray
	 * (once); past the deadline, stop the jobs still holding it.
	 */
	public static Step drained(FleetNode node, List<String> jobs, Instant now) {
		if (node.state() != NodeState.DRAINING || node.stopSent()) {
			return Step.of(node);
		}
		if (!jobs.isEmpty()) {
			if (node.drainDeadline() != null && !now.isBefore(node.drainDeadline())) {
				return new Step(node, null, List.copyOf(jobs));
			}
			return Step.of(node);
		}
		NodeCommand stop = node.decommission()
				? new DecommissionNode(DecommissionNode.SCHEMA_VERSION, node.spec().nodeId(),
						node.spec().poolOrDefault(), node.spec(), now)
				: new DrainNode(DrainNode.SCHEMA_VERSION, node.spec().nodeId(), node.spec().poolOrDefault(),
						node.spec(), node.drainDeadline(), now);
		return Step.of(node.stopping().with(NodeState.DRAINING, node.reason() + "; ray stop is running"), stop);
	}

	/**
	 * The reason a job gets when the drain deadline of its node stops it: the node, and
	 * the operator's reason when the drain gave one.
	 */
	public static String deadlineStopReason(FleetNode node) {
		return "the drain deadline of node " + node.spec().nodeId() + " passed"
				+ ((node.drainReason() != null) ? " (drain reason: " + node.drainReason() + ")" : "");
	}

	/**
	 * Undrain: a draining node takes work again; an OFFLINE or FAILED one is provisioned
	 * again. A node Ray drains (or is stopping) cannot take work before Ray restarts
	 * there: it is provisioned again once Ray has stopped.
	 */
	public static Step undrainRequested(FleetNode node, Instant now) {
		if (node.state() == NodeState.DRAINING && (node.stopSent() || node.rayDrained())) {
			return Step.of(node.restartingAfterStop("undrain requested: Ray cannot take its drain back, so Ray is "
					+ "started again on the node once its jobs have left and ray stop is done"
					+ (node.stopSent() ? "; ray stop is running" : "")));
		}
		if (node.state() == NodeState.DRAINING) {
			FleetNode back = node.draining(null, false, null);
			boolean seen = node.rayNodeId() != null && node.missedSince() == null;
			return seen ? Step.of(back.with(NodeState.ONLINE, null)) : provision(back, node.spec(), now);
		}
		if (node.state() == NodeState.OFFLINE || node.state() == NodeState.FAILED) {
			return provision(node, node.spec(), now);
		}
		return Step.of(node);
	}

	/**
	 * The agent ran ray stop: OFFLINE (FAILED when Ray could not be stopped), or
	 * provisioned again when an undrain asked for it meanwhile.
	 */
	public static Step decommissioned(FleetNode node, Decommissioned event, Instant now) {
		if (node.state() != NodeState.DRAINING) {
			return Step.of(node);
		}
		if (!event.stopped()) {
			return Step.of(node.with(NodeState.FAILED, "ray stop failed: " + event.reason()));
		}
		if (node.restartAfterStop()) {
			return provision(node, node.spec(), now);
		}
		String how = event.forced() ? "ray stop --force" : "ray stop";
		return Step.of(node.seen(null, null)
			.with(NodeState.OFFLINE,
					(node.decommission() ? "decommissioned" : "drained") + "; " + how + " exited " + event.exitCode()));
	}

	private static Step revive(FleetNode node, int revival, NodeRecovery recovery, String why, Instant now) {
		FleetNode next = node.reviving(revival, now, why + "; ray start is running over SSH (re-provisioning " + revival
				+ " of " + recovery.reprovisionAttempts() + ")");
		return Step.of(next, new ProvisionNode(ProvisionNode.SCHEMA_VERSION, node.spec().nodeId(),
				node.spec().poolOrDefault(), node.spec(), next.attempts(), now));
	}

	private static Step provision(FleetNode node, NodeSpec spec, Instant now) {
		FleetNode next = node.provisioning(spec);
		return Step.of(next, new ProvisionNode(ProvisionNode.SCHEMA_VERSION, spec.nodeId(), spec.poolOrDefault(), spec,
				next.attempts(), now));
	}

}
