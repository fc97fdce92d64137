package io.raylane.scheduler.topology;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.raylane.scheduler.core.AdmissionPlan;
import io.raylane.scheduler.core.AdmissionPlanner;
import io.raylane.scheduler.core.Decision;
import io.raylane.scheduler.core.JobViews;
import io.raylane.scheduler.core.PoolSnapshot;
import io.raylane.scheduler.core.QueuedJob;
import io.raylane.scheduler.core.SubmissionComposer;
import io.raylane.topics.job.JobView;

/**
 * One scheduling cycle of a pool: load the head of its queue and its nodes, ask the
 * {@link AdmissionPlanner}, then apply the decisions to the stores (reserve GPUs, leave the queue) and to
 * the outbox ({@code SubmitToRay} on {@code raylane.dispatch}, views on {@code raylane.job-states} and
 * {@code raylane.node-states}). Also releases a job's GPUs when it ends.
 */
final class PoolCycle {

	private final SchedulerStores stores;

	private final int window;

	private final Clock clock;

	private final Map<String, Map<String, String>> poolEnv;

	PoolCycle(SchedulerStores stores, int window, Clock clock, Map<String, Map<String, String>> poolEnv) {
		this.stores = stores;
		this.window = window;
		this.clock = clock;
		this.poolEnv = (poolEnv != null) ? poolEnv : Map.of();
	}

	/**
	 * Admits what fits now.
	 * @return the job that blocks the pool's queue after the cycle, or null when none waits
	 */
	String run(String pool, Outbox out) {
		while (true) {
			// 1. heads  2. pool snapshot  3.-6. the planner's gang fit, strict FIFO and reasons
			List<JobEntry> heads = this.stores.queueHeads(pool, this.window);
			if (heads.isEmpty()) {
				return null;
			}
			Map<String, NodeEntry> nodes = this.stores.nodes(pool)
				.stream()
				.collect(Collectors.toMap(NodeEntry::nodeId, Function.identity()));
			PoolSnapshot snapshot = new PoolSnapshot(pool,
					nodes.values().stream().map(NodeEntry::toPoolNode).toList());
			List<QueuedJob> queued = heads.stream()
				.map((e) -> QueuedJob.of(e.view().jobId(), e.view().submittedAt(), e.view().resources()))
				.toList();
			AdmissionPlan plan = AdmissionPlanner.plan(snapshot, queued);
			Map<String, JobEntry> byId = heads.stream()
				.collect(Collectors.toMap((e) -> e.view().jobId(), Function.identity()));
			for (Decision decision : plan.decisions()) {
				apply(decision, byId.get(decision.jobId()), nodes, out);
			}
			// every job of a full window left the queue: the next window may admit more
			if (plan.blockedBy() != null || heads.size() < this.window) {
				return plan.blockedBy();
			}
		}
	}

	/** Gives the GPUs of an ending job back to its nodes (dead nodes included). */
	void release(JobView view, Outbox out) {
		Instant now = this.clock.instant();
		for (String nodeId : view.nodes()) {
			NodeEntry node = this.stores.node(view.pool(), nodeId);
			if (node != null && node.allocations().containsKey(view.jobId())) {
				NodeEntry released = node.release(view.jobId());
				this.stores.put(released);
				out.node(released.toView(now));
			}
		}
	}

	private void apply(Decision decision, JobEntry entry, Map<String, NodeEntry> nodes, Outbox out) {
		Instant now = this.clock.instant();
		JobView view = entry.view();
		switch (decision.outcome()) {
			case DISPATCH -> {
				for (String nodeId : decision.nodes()) {
					NodeEntry reserved = nodes.get(nodeId).reserve(view.jobId(), view.resources().gpusPerNode());
					nodes.put(nodeId, reserved);
					this.stores.put(reserved);
					out.node(reserved.toView(now));
				}
				JobView dispatched = JobViews.dispatched(view, decision.nodes(), now);
				save(entry.withView(dispatched), view, out);
				out.command(SubmissionComposer.compose(dispatched,
						this.poolEnv.getOrDefault(dispatched.pool(), Map.of())));
			}
			case WAIT -> {
				if (!Objects.equals(view.reason(), decision.reason())) {
					JobView waiting = JobViews.waiting(view, decision.reason(), now);
					this.stores.put(entry.withView(waiting));
					out.job(waiting);
				}
			}
			case REJECT -> save(entry.withView(JobViews.rejected(view, decision.reason(), now)), view, out);
		}
	}

	/** Stores and publishes a job that left the queue. */
	private void save(JobEntry next, JobView queuedView, Outbox out) {
		this.stores.dequeue(queuedView);
		this.stores.put(next);
		out.job(next.view());
	}

}
