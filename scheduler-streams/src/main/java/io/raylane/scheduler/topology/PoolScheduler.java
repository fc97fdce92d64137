package io.raylane.scheduler.topology;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.raylane.jobspec.JobSpecSizes;
import io.raylane.scheduler.core.JobEventRules;
import io.raylane.scheduler.core.JobState;
import io.raylane.scheduler.core.JobStep;
import io.raylane.scheduler.core.JobTimer;
import io.raylane.scheduler.core.JobViews;
import io.raylane.scheduler.core.PoolIndex;
import io.raylane.topics.events.JobCommand;
import io.raylane.topics.events.NodeEvent;
import io.raylane.topics.events.NodeObserved;
import io.raylane.topics.events.RayObservation;
import io.raylane.topics.events.StopJob;
import io.raylane.topics.events.SubmitJob;
import io.raylane.topics.events.SubmitResult;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds one pool's inputs (job commands, node observations, Ray observations, submit
 * results) into its job and node tables. What an event or a due timer does to a job is
 * decided by {@link JobEventRules}; this class loads the job, calls the rule and applies
 * the {@link JobStep} to the stores, and runs a {@link PoolCycle} whenever GPUs may have
 * become free or a job joined the queue. Every change it makes lands in the
 * {@link Outbox}; {@link PoolProcessor} forwards it.
 */
final class PoolScheduler {

	private static final Logger log = LoggerFactory.getLogger(PoolScheduler.class);

	private final SchedulerStores stores;

	private final PoolCycle cycle;

	private final Timers timers;

	private final JobEventRules rules;

	private final Clock clock;

	private final FleetHandler fleet;

	private final ClusterUsage usage;

	PoolScheduler(SchedulerStores stores, ClusterUsage usage, SchedulerTopology.Settings settings) {
		this.stores = stores;
		this.usage = usage;
		this.timers = new Timers(stores.timers());
		this.cycle = new PoolCycle(stores, usage, this.timers, settings);
		this.rules = new JobEventRules(settings.policy().jobLimits(),
				settings.sharedRoot().toAbsolutePath().normalize(), settings.readOnlyRoots());
		this.clock = settings.clock();
		this.fleet = new FleetHandler(stores, settings.clock(),
				(jobId, pool, reason, out) -> onJobEvent(
						new StopJob(jobId, pool, "scheduler", reason, settings.clock().instant()), jobId, out),
				settings.policy().nodeRecovery());
	}

	void handle(Object event, Outbox out) {
		// fleet issue: registered nodes' lifecycle (drain deadlines, lost nodes, operator
		// and node-agent events)
		String pool = PoolEvent.of(event).pool();
		this.fleet.tick(pool, out);
		if (event instanceof NodeEvent nodeEvent && this.fleet.handle(nodeEvent, out)) {
			this.cycle.run(pool, out);
			return;
		}
		if (event instanceof SubmitJob submit) {
			onSubmit(submit, out);
		}
		else if (event instanceof NodeObserved node) {
			onNode(node, out);
		}
		else if (event instanceof JobCommand command) {
			onJobEvent(command, command.jobId(), out);
		}
		else if (event instanceof RayObservation observation) {
			onJobEvent(observation, observation.jobId(), out);
		}
		else if (event instanceof SubmitResult result) {
			onJobEvent(result, result.jobId(), out);
		}
	}

	/**
	 * Time-driven fleet rules over every pool this task holds nodes of (the wall-clock
	 * punctuator).
	 */
	void tick(Outbox out) {
		for (String pool : this.stores.poolsWithFleetNodes()) {
			this.fleet.tick(pool, out);
			this.cycle.run(pool, out);
		}
	}

	/**
	 * Fires the due timers of the deadline index ({@link JobEventRules#timerFired}),
	 * earliest first.
	 */
	void punctuate(Outbox out) {
		Instant now = this.clock.instant();
		for (var timer : this.timers.due(now, 1000)) {
			this.timers.delete(timer.key);
			JobEntry entry = this.stores.job(Timers.jobId(timer.key));
			if (entry == null || !timer.key.equals(entry.timer())) {
				continue;
			}
			entry = entry.withTimer(null);
			JobTimer kind = JobTimer.of(timer.value);
			JobStep step;
			try {
				step = (kind != null) ? this.rules.timerFired(kind, entry.state(), now) : JobStep.NONE;
			}
			catch (RuntimeException ex) {
				step = unschedulable(entry, ex, now);
			}
			if (step.next() == null) {
				// the timer is spent either way
				this.stores.put(entry);
			}
			apply(entry, step, out);
		}
	}

	private void onSubmit(SubmitJob command, Outbox out) {
		JobEntry existing = this.stores.job(command.jobId());
		// the pool as it is now: a job larger than any gang it could ever get is rejected
		// at once
		PoolIndex pool = (existing != null) ? null : this.stores.poolIndex(command.pool());
		JobStep step;
		try {
			step = this.rules.submit(command, (existing != null) ? existing.state() : null, pool,
					this.usage.activeJobs(command.pool(), command.user()), this.clock.instant());
		}
		catch (RuntimeException ex) {
			// the rules are pure: nothing was stored, the job can still be rejected
			// cleanly
			log.warn("SubmitJob {} could not be scheduled; rejecting it", command.jobId(), ex);
			step = (existing != null) ? JobStep.NONE : this.rules.unschedulable(command, ex, this.clock.instant());
		}
		apply(existing, step, out);
		if (step.next() == null || step.next().view().status() != JobStatus.QUEUED) {
			return;
		}
		// a job behind the planner's window gets its reason here; later cycles refresh it
		// once it is in view
		JobEntry after = this.stores.job(command.jobId());
		if (after.view().status() == JobStatus.QUEUED && after.view().position() == null) {
			List<JobEntry> head = this.stores.queueHeads(after.view().pool(), 1);
			String headId = head.isEmpty() ? command.jobId() : head.get(0).view().jobId();
			JobView waiting = JobViews.behind(after.view(), headId, this.clock.instant());
			this.stores.put(after.withView(waiting));
			out.job(waiting);
		}
	}

	private void onJobEvent(Object event, String jobId, Outbox out) {
		JobEntry entry = this.stores.job(jobId);
		Instant now = this.clock.instant();
		JobStep step;
		try {
			step = this.rules.apply(event, (entry != null) ? entry.state() : null, now);
		}
		catch (RuntimeException ex) {
			if (entry == null) {
				throw ex;
			}
			step = unschedulable(entry, ex, now);
		}
		apply(entry, step, out);
	}

	/**
	 * Issue 12: a job whose data makes a rule throw is ended with the reason (the rules
	 * are pure, so nothing of it was stored), rather than failing every later event of
	 * the pool.
	 */
	private JobStep unschedulable(JobEntry entry, RuntimeException ex, Instant now) {
		log.warn("job {} could not be scheduled; ending it", entry.view().jobId(), ex);
		return this.rules.unschedulable(entry.state(), ex, now);
	}

	/**
	 * Issue 12: a record of the job cannot be written (larger than its topic takes, or
	 * unserializable), so the job ends with that reason: REJECTED while queued, FAILED,
	 * stopped on Ray and its GPUs given back once dispatched. When its view was the
	 * record, the view that ends it drops the spec's bulk (command, env, overrides), so
	 * it fits.
	 */
	void endUnwritable(String jobId, String reason, boolean viewTooLarge, Outbox out) {
		JobEntry entry = this.stores.job(jobId);
		if (entry == null) {
			return;
		}
		JobView view = entry.view();
		if (viewTooLarge && view.spec() != null) {
			entry = entry.withView(view.toBuilder().spec(JobSpecSizes.withoutBulk(view.spec())).build());
		}
		JobStep step = this.rules.unschedulable(entry.state(), new IllegalStateException(reason), this.clock.instant());
		if (step.next() == null && viewTooLarge) {
			// an ended job's last view: published without the bulk, as it is
			this.stores.put(entry);
			out.job(entry.view());
			return;
		}
		apply(entry, step, out);
	}

	private void onNode(NodeObserved observed, Outbox out) {
		NodeEntry previous = this.stores.node(observed.pool(), observed.nodeId());
		NodeEntry next = NodeEntry.observed(previous, observed);
		if (!next.equals(previous)) {
			this.stores.put(next);
			out.node(next.toView(this.clock.instant()));
		}
		this.cycle.run(observed.pool(), out);
	}

	/**
	 * Applies what a rule decided: the job's row and timer, the queue index (it holds
	 * exactly the QUEUED jobs), the published view, the commands, the GPUs given back,
	 * then a cycle of the pool.
	 */
	private void apply(JobEntry entry, JobStep step, Outbox out) {
		if (step.note() != null) {
			log.info("{}", step.note());
		}
		if (step.next() == null) {
			return;
		}
		JobView before = (entry != null) ? entry.view() : null;
		JobEntry next = timer((entry != null) ? entry.with(step.next()) : JobEntry.of(step.next()), step.timer());
		boolean wasQueued = before != null && before.status() == JobStatus.QUEUED;
		boolean isQueued = next.view().status() == JobStatus.QUEUED;
		if (wasQueued && !isQueued) {
			this.stores.dequeue(before);
		}
		this.stores.put(next);
		if (isQueued && !wasQueued) {
			this.stores.enqueue(next.view());
		}
		// issue 12: the owner's jobs queued or running (max_jobs)
		boolean wasActive = before != null && !before.status().isTerminal();
		boolean isActive = !next.view().status().isTerminal();
		if (wasActive != isActive) {
			this.cycle.countActive(next.view(), isActive ? 1 : -1, out);
		}
		if (step.publish()) {
			out.job(next.view());
		}
		step.stops().forEach(out::command);
		if (step.resubmit()) {
			out.command(this.cycle.submission(next.view()));
		}
		if (step.releases()) {
			this.cycle.release(before, out);
			this.fleet.released(before, out);
		}
		if (step.plan()) {
			this.cycle.run(next.view().pool(), out);
		}
	}

	private JobEntry timer(JobEntry entry, JobStep.Timer timer) {
		if (timer == null) {
			return entry;
		}
		if (timer.kind() == null) {
			return this.timers.clear(entry);
		}
		// a deadline also moves when the job's GPUs come back, as backfill sees it
		return (timer.kind() == JobTimer.RUN) ? this.cycle.deadline(entry, timer.at())
				: this.timers.set(entry, timer.at(), timer.kind());
	}

}
