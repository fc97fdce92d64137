package io.raylane.scheduler.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.raylane.scheduler.core.AdmissionPlan;
import io.raylane.scheduler.core.Deadlines;
import io.raylane.scheduler.core.AdmissionPlanner;
import io.raylane.scheduler.core.Decision;
import io.raylane.scheduler.core.JobLimits;
import io.raylane.scheduler.core.JobTimer;
import io.raylane.scheduler.core.JobViews;
import io.raylane.scheduler.core.PlanLimits;
import io.raylane.scheduler.core.PoolIndex;
import io.raylane.scheduler.core.QueuedJob;
import io.raylane.scheduler.core.Reasons;
import io.raylane.scheduler.core.SubmissionComposer;
import io.raylane.topics.Topics;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.job.JobView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduling cycle of a pool: load the head of its queue, its nodes (with the running
 * jobs' deadlines) and the cluster-wide usage, ask the {@link AdmissionPlanner}, then
 * apply the decisions to the stores (reserve GPUs, set deadlines, leave the queue, count
 * usage) and to the outbox ({@code SubmitToRay} on {@code raylane.dispatch}, views on
 * {@code raylane.job-states} and {@code raylane.node-states}, counters on
 * {@code <application.id>-usage}). Also releases a job's GPUs when it ends.
 */
final class PoolCycle {

	private static final Logger log = LoggerFactory.getLogger(PoolCycle.class);

	private final SchedulerStores stores;

	private final ClusterUsage usage;

	private final Timers timers;

	private final SchedulingPolicy policy;

	private final JobLimits limits;

	private final int window;

	private final Clock clock;

	private final Map<String, Map<String, String>> poolEnv;

	/** The shared Hugging Face cache, every job's default HF_HOME (issue 16 item 5). */
	private final String hfHome;

	private final SchedulerMetrics metrics;

	private final RecordSizeGuard guard;

	PoolCycle(SchedulerStores stores, ClusterUsage usage, Timers timers, SchedulerTopology.Settings settings) {
		this.stores = stores;
		this.usage = usage;
		this.timers = timers;
		this.policy = settings.policy();
		this.limits = settings.policy().jobLimits();
		this.window = settings.planWindow();
		this.clock = settings.clock();
		this.poolEnv = settings.poolEnv();
		this.hfHome = SubmissionComposer.hfHome(settings.sharedRoot());
		this.metrics = settings.metrics();
		this.guard = settings.recordGuard();
	}

	/**
	 * Admits what may start now and refreshes why the rest of the window waits.
	 * @return the job holding the pool's reservation after the cycle, or null
	 */
	String run(String pool, Outbox out) {
		while (true) {
			// 1. heads 2. pool snapshot 3.-6. the planner's gang fit, FIFO + backfill +
			// quotas, reasons
			List<JobEntry> heads = this.stores.queueHeads(pool, this.window);
			if (heads.isEmpty()) {
				return null;
			}
			// the planner's index of the pool is kept node by node, never rebuilt per
			// cycle
			PoolIndex index = this.stores.poolIndex(pool);
			List<QueuedJob> queued = heads.stream().map((e) -> queuedJob(e.view())).toList();
			PlanLimits limits = this.usage.limits(pool, this.policy, this.clock.instant());
			AdmissionPlan plan = AdmissionPlanner.plan(index, queued, limits);
			Map<String, JobEntry> byId = heads.stream()
				.collect(Collectors.toMap((e) -> e.view().jobId(), Function.identity()));
			boolean allLeft = true;
			for (Decision decision : plan.decisions()) {
				Decision applied = applySafely(decision, byId.get(decision.jobId()), pool, out);
				allLeft &= applied.outcome() != Decision.Outcome.WAIT;
			}
			// only when every job of a full window left the queue may the next window
			// admit more
			if (!allLeft || heads.size() < this.window) {
				return plan.blockedBy();
			}
		}
	}

	static QueuedJob queuedJob(JobView view) {
		Duration timeout = (view.spec() != null) ? view.spec().timeoutDuration().orElse(null) : null;
		Map<String, String> selector = (view.spec() != null) ? view.spec().nodeSelectorOrEmpty() : Map.of();
		return new QueuedJob(view.jobId(), view.submittedAt(), view.resources().nodes(), view.resources().gpusPerNode(),
				view.user(), selector, timeout);
	}

	/** The job's timeout: its own, or its pool's default. */
	Duration timeoutOf(JobView view) {
		return this.limits.timeoutOf(view);
	}

	/**
	 * The job's SubmitToRay for the nodes it holds: sent at dispatch, and again after a
	 * retryable failure.
	 */
	SubmitToRay submission(JobView view) {
		List<String> nodeIps = view.nodes()
			.stream()
			.map((id) -> this.stores.node(view.pool(), id))
			.filter(Objects::nonNull)
			.map(NodeEntry::ip)
			.toList();
		return SubmissionComposer.compose(view, this.poolEnv.getOrDefault(view.pool(), Map.of()), nodeIps, this.hfHome);
	}

	/**
	 * Gives the GPUs of an ending job back to its nodes (dead nodes included) and
	 * uncounts it.
	 */
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
		count(view, -1, out);
	}

	/** Moves the job's deadline (and its nodes' release time) to {@code deadline}. */
	JobEntry deadline(JobEntry entry, Instant deadline) {
		JobView view = entry.view();
		for (String nodeId : view.nodes()) {
			NodeEntry node = this.stores.node(view.pool(), nodeId);
			if (node != null && node.allocations().containsKey(view.jobId())) {
				this.stores.put(node.deadline(view.jobId(), deadline));
			}
		}
		return this.timers.set(entry, deadline, JobTimer.RUN);
	}

	private void count(JobView view, int sign, Outbox out) {
		String active = UsageCount.active(view.pool());
		this.stores.addUsage(active, sign);
		out.usage(new UsageCount(active, this.stores.usage(active)));
		int gpus = view.resources().totalGpus();
		if (gpus > 0) {
			add(UsageCount.gpus(view.pool(), view.user()), sign * gpus, out);
		}
		// issue 12: each user's share of the Ray head, 0-GPU jobs included
		add(UsageCount.perUser(UsageCount.RAY_JOBS, view.pool(), view.user()), sign, out);
	}

	/**
	 * Counts a job that joined ({@code sign} 1) or left (-1) its owner's jobs queued or
	 * running (issue 12, {@code max_jobs}).
	 */
	void countActive(JobView view, int sign, Outbox out) {
		add(UsageCount.perUser(UsageCount.JOBS, view.pool(), view.user()), sign, out);
	}

	private void add(String key, int delta, Outbox out) {
		this.stores.addUsage(key, delta);
		out.usage(new UsageCount(key, this.stores.usage(key)));
	}

	/**
	 * Applies one decision; a dispatch that throws (issue 12: data no rule foresaw)
	 * rejects that job instead, so the rest of the window and the pool go on.
	 * @return the decision that was applied
	 */
	private Decision applySafely(Decision decision, JobEntry entry, String pool, Outbox out) {
		try {
			apply(decision, entry, pool, out);
			return decision;
		}
		catch (RuntimeException ex) {
			if (decision.outcome() != Decision.Outcome.DISPATCH) {
				throw ex;
			}
			log.warn("job {} could not be dispatched; rejecting it", entry.view().jobId(), ex);
			Decision rejected = Decision.reject(decision.jobId(), Reasons.unschedulable(ex));
			apply(rejected, entry, pool, out);
			return rejected;
		}
	}

	private void apply(Decision decision, JobEntry entry, String pool, Outbox out) {
		Instant now = this.clock.instant();
		JobView view = entry.view();
		switch (decision.outcome()) {
			case DISPATCH -> {
				// 1. everything that may throw, before any store changes: the deadline,
				// the
				// Ray submission
				Instant deadline = Deadlines.after(now, timeoutOf(view));
				JobView dispatched = JobViews.dispatched(view, decision.nodes(), now);
				SubmitToRay submission = submission(dispatched);
				// issue 12: a dispatch record the broker would refuse rejects the job
				// here
				this.guard.problem(Topics.DISPATCH, view.jobId(), submission).ifPresent((problem) -> {
					throw new IllegalStateException(problem);
				});
				// 2. reserve, count, save, send
				for (String nodeId : decision.nodes()) {
					NodeEntry reserved = this.stores.node(pool, nodeId)
						.reserve(view.jobId(), view.resources().gpusPerNode())
						.deadline(view.jobId(), deadline);
					this.stores.put(reserved);
					out.node(reserved.toView(now));
				}
				this.metrics.dispatched(dispatched);
				count(dispatched, 1, out);
				save(this.timers.set(entry.withView(dispatched), deadline, JobTimer.RUN), view, out);
				out.command(submission);
			}
			case WAIT -> {
				JobView waiting = JobViews.waiting(view, decision, now);
				// a job that only moved up keeps its published view: republishing the
				// whole window on every
				// dispatch would cost O(window) writes per event. The API derives live
				// positions from the
				// queue order of its read model; the published position is the one of the
				// last reason change.
				if (!JobViews.sameWaitExceptPosition(view, waiting) || view.position() == null) {
					this.stores.put(entry.withView(waiting));
					out.job(waiting);
				}
			}
			case REJECT -> {
				save(this.timers.clear(entry.withView(JobViews.rejected(view, decision.reason(), now))), view, out);
				countActive(view, -1, out);
			}
		}
	}

	/** Stores and publishes a job that left the queue. */
	private void save(JobEntry next, JobView queuedView, Outbox out) {
		this.stores.dequeue(queuedView);
		this.stores.put(next);
		out.job(next.view());
	}

}
