package io.raylane.scheduler.topology;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.raylane.scheduler.core.FleetNode;
import io.raylane.scheduler.core.NodeLifecycle;
import io.raylane.scheduler.core.NodeRecovery;
import io.raylane.topics.events.DecommissionRequested;
import io.raylane.topics.events.Decommissioned;
import io.raylane.topics.events.DrainDelivered;
import io.raylane.topics.events.DrainRequested;
import io.raylane.topics.events.NodeEvent;
import io.raylane.topics.events.NodeObserved;
import io.raylane.topics.events.NodeRegistered;
import io.raylane.topics.events.ProvisionFailed;
import io.raylane.topics.events.Provisioned;
import io.raylane.topics.events.UndrainRequested;
import io.raylane.topics.job.JobView;
import io.raylane.topics.node.NodeSpecValidator;
import io.raylane.topics.node.NodeState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's part of a pool: folds what operators asked (NodeRegistered,
 * Drain/Undrain/DecommissionRequested), what the node-agent did (Provisioned,
 * ProvisionFailed, DrainDelivered, Decommissioned) and what Ray reports of registered
 * nodes (NodeObserved, matched by IP = the NodeSpec's host) into the node table through
 * {@link NodeLifecycle}, and emits the node-agent's commands on
 * {@code raylane.node-commands} (ProvisionNode, also for a node Ray reported dead;
 * DrainOnRay; DrainNode; DecommissionNode). Stops the jobs of a node whose drain deadline
 * passed through the ordinary stop path.
 */
final class FleetHandler {

	private static final Logger log = LoggerFactory.getLogger(FleetHandler.class);

	/** Stops a job the way a StopJob does (the drain deadline's stop). */
	interface JobStopper {

		void stop(String jobId, String pool, String reason, Outbox out);

	}

	private final SchedulerStores stores;

	private final Clock clock;

	private final JobStopper stopper;

	private final NodeRecovery recovery;

	FleetHandler(SchedulerStores stores, Clock clock, JobStopper stopper, NodeRecovery recovery) {
		this.stores = stores;
		this.clock = clock;
		this.stopper = stopper;
		this.recovery = recovery;
	}

	/**
	 * Handles a fleet event; false when it is not one (a NodeObserved of a node nobody
	 * registered).
	 */
	boolean handle(NodeEvent event, Outbox out) {
		Instant now = this.clock.instant();
		if (event instanceof NodeRegistered registered) {
			if (!NodeSpecValidator.validate(registered.spec()).isEmpty()) {
				log.warn("ignoring NodeRegistered {} with an invalid spec", registered.nodeId());
				return true;
			}
			NodeEntry entry = this.stores.node(registered.pool(), registered.nodeId());
			NodeLifecycle.Step step = NodeLifecycle.registered((entry != null) ? entry.fleet() : null,
					registered.spec(), now);
			// a (re-)provisioned registration takes the new spec's coordinates; its old
			// allocations stay until their jobs end
			NodeEntry base = (entry == null || step.command() == null) ? entry
					: NodeEntry.registered(step.node()).withAllocations(entry.allocations());
			apply((base != null) ? base : NodeEntry.registered(step.node()), step, out);
			return true;
		}
		if (event instanceof NodeObserved observed) {
			NodeEntry entry = byIp(observed.pool(), observed.nodeIp());
			if (entry == null) {
				return false;
			}
			NodeLifecycle.Step step = NodeLifecycle.observed(entry.fleet(), observed.nodeId(), observed.alive(),
					this.recovery, now);
			boolean current = observed.alive() || observed.nodeId().equals(entry.fleet().rayNodeId());
			NodeEntry next = current
					? entry.withRay(observed.alive(), Math.max(0, observed.gpus()), observed.labels(), step.node())
						.withHeldOutside(observed.gpusHeldOutside())
					: entry.withFleet(step.node());
			apply(next, step, out);
			return true;
		}
		NodeEntry entry = this.stores.node(event.pool(), event.nodeId());
		if (entry == null || entry.fleet() == null) {
			log.info("ignoring {} of unregistered node {}", event.getClass().getSimpleName(), event.nodeId());
			return true;
		}
		FleetNode fleet = entry.fleet();
		NodeLifecycle.Step step;
		if (event instanceof Provisioned provisioned) {
			step = NodeLifecycle.provisioned(fleet, provisioned);
		}
		else if (event instanceof ProvisionFailed failed) {
			step = NodeLifecycle.provisionFailed(fleet, failed, this.recovery, now);
		}
		else if (event instanceof DrainRequested drain) {
			step = NodeLifecycle.drainRequested(fleet, drain.deadline(), false, drain.reason(), entry.jobs(), now);
		}
		else if (event instanceof DecommissionRequested decommission) {
			step = NodeLifecycle.drainRequested(fleet, null, true, entry.jobs(), now);
		}
		else if (event instanceof UndrainRequested) {
			step = NodeLifecycle.undrainRequested(fleet, now);
		}
		else if (event instanceof DrainDelivered delivered) {
			step = NodeLifecycle.drainDelivered(fleet, delivered);
		}
		else if (event instanceof Decommissioned decommissioned) {
			step = NodeLifecycle.decommissioned(fleet, decommissioned, now);
		}
		else {
			return false;
		}
		apply(entry.withFleet(step.node()), step, out);
		return true;
	}

	/**
	 * After a job ended: a draining node it held may now be empty, so Ray can be stopped
	 * there.
	 */
	void released(JobView job, Outbox out) {
		for (String nodeId : job.nodes()) {
			NodeEntry entry = this.stores.node(job.pool(), nodeId);
			if (entry != null && entry.fleet() != null && entry.fleet().state() == NodeState.DRAINING) {
				apply(entry, NodeLifecycle.drained(entry.fleet(), entry.jobs(), this.clock.instant()), out);
			}
		}
	}

	/**
	 * Time-driven rules, checked on every event of the pool and by the fleet punctuator:
	 * drain deadlines and lost nodes (re-provisioned or FAILED).
	 */
	void tick(String pool, Outbox out) {
		Instant now = this.clock.instant();
		// only the nodes with something to check, not the whole pool on every event
		for (NodeEntry entry : this.stores.timeDrivenNodes(pool)) {
			FleetNode fleet = entry.fleet();
			if (fleet.state() == NodeState.DRAINING && fleet.drainDeadline() != null && !entry.jobs().isEmpty()) {
				apply(entry, NodeLifecycle.drained(fleet, entry.jobs(), now), out);
			}
			else if (fleet.missedSince() != null) {
				apply(entry, NodeLifecycle.lostCheck(fleet, this.recovery, now), out);
			}
		}
	}

	private void apply(NodeEntry entry, NodeLifecycle.Step step, Outbox out) {
		NodeEntry next = entry.withFleet(step.node());
		NodeEntry stored = this.stores.node(next.pool(), next.nodeId());
		if (!next.equals(stored)) {
			this.stores.put(next);
			out.node(next.toView(this.clock.instant()));
		}
		if (step.command() != null) {
			out.nodeCommand(step.command());
		}
		for (String jobId : step.stopJobs()) {
			this.stopper.stop(jobId, next.pool(), NodeLifecycle.deadlineStopReason(next.fleet()), out);
		}
	}

	private NodeEntry byIp(String pool, String ip) {
		if (ip == null) {
			return null;
		}
		return this.stores.nodes(pool)
			.stream()
			.filter((n) -> n.fleet() != null && ip.equals(n.fleet().spec().host()))
			.findFirst()
			.orElse(null);
	}

}
