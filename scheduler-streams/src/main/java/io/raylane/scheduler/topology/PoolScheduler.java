package io.raylane.scheduler.topology;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import io.raylane.jobspec.JobSpecValidator;
import io.raylane.scheduler.core.AdmissionPlanner;
import io.raylane.scheduler.core.JobViews;
import io.raylane.scheduler.core.PoolSnapshot;
import io.raylane.scheduler.core.QueuedJob;
import io.raylane.scheduler.core.Reasons;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.NodeEvent;
import io.raylane.topics.events.NodeObserved;
import io.raylane.topics.events.StopDelivered;
import io.raylane.topics.events.StopJob;
import io.raylane.topics.events.StopOnRay;
import io.raylane.topics.events.SubmitFailed;
import io.raylane.topics.events.SubmitJob;
import io.raylane.topics.events.Submitted;
import io.raylane.topics.job.FieldError;
import io.raylane.topics.job.JobIds;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds one pool's inputs (job commands, node observations, Ray observations, submit results) into its job
 * and node tables, and runs a {@link PoolCycle} whenever GPUs may have become free or a job joined the queue.
 * Every change it makes lands in the {@link Outbox}; {@link PoolProcessor} forwards it.
 */
final class PoolScheduler {

	private static final Logger log = LoggerFactory.getLogger(PoolScheduler.class);

	private final SchedulerStores stores;

	private final PoolCycle cycle;

	private final Timers timers;

	private final SchedulingPolicy policy;

	private final Path sharedRoot;

	private final Clock clock;

	private final FleetHandler fleet;

	PoolScheduler(SchedulerStores stores, ClusterUsage usage, SchedulerTopology.Settings settings) {
		this.stores = stores;
		this.timers = new Timers(stores.timers());
		this.policy = settings.policy();
		this.cycle = new PoolCycle(stores, usage, this.timers, settings);
		this.sharedRoot = settings.sharedRoot().toAbsolutePath().normalize();
		this.clock = settings.clock();
		this.fleet = new FleetHandler(stores, settings.clock(), (jobId, pool, reason, out) -> onStop(
				new StopJob(jobId, pool, "scheduler", reason, settings.clock().instant()), out));
	}

	void handle(Object event, Outbox out) {
		// fleet issue: registered nodes' lifecycle (drain deadlines, lost nodes, operator and node-agent events)
		String pool = PoolEvent.of(event).pool();
		this.fleet.tick(pool, out);
		if (event instanceof NodeEvent nodeEvent && this.fleet.handle(nodeEvent, out)) {
			this.cycle.run(pool, out);
			return;
		}
		if (event instanceof SubmitJob submit) {
			onSubmit(submit, out);
		}
		else if (event instanceof StopJob stop) {
			onStop(stop, out);
		}
		else if (event instanceof NodeObserved node) {
			onNode(node, out);
		}
		else if (event instanceof JobObserved observed) {
			onObserved(observed, out);
		}
		else if (event instanceof Submitted submitted) {
			onSubmitted(submitted, out);
		}
		else if (event instanceof SubmitFailed failed) {
			onSubmitFailed(failed, out);
		}
		else if (event instanceof StopDelivered delivered) {
			// Ray's STOPPED observation ends the job; the delivery itself changes nothing
			log.info("stop of {} delivered to Ray (stopped={})", delivered.jobId(), delivered.stopped());
		}
	}

	/** Time-driven fleet rules over every pool this task holds nodes of (the wall-clock punctuator). */
	void tick(Outbox out) {
		for (String pool : this.stores.poolsWithFleetNodes()) {
			this.fleet.tick(pool, out);
			this.cycle.run(pool, out);
		}
	}

	private void onSubmit(SubmitJob command, Outbox out) {
		if (this.stores.job(command.jobId()) != null) {
			log.info("ignoring duplicate SubmitJob {}", command.jobId());
			return;
		}
		Instant now = this.clock.instant();
		String idProblem = JobIds.problem(command.jobId());
		String jobDir = (idProblem == null) ? this.sharedRoot.resolve("jobs").resolve(command.jobId()).toString()
				: null;
		JobView accepted = JobViews.accepted(command, jobDir, now);
		Optional<String> rejection = (idProblem != null) ? Optional.of(idProblem) : invalid(command);
		if (rejection.isEmpty()) {
			PoolSnapshot pool = new PoolSnapshot(accepted.pool(),
					this.stores.nodes(accepted.pool()).stream().map(NodeEntry::toPoolNode).toList());
			rejection = AdmissionPlanner.rejection(pool,
					QueuedJob.of(accepted.jobId(), accepted.submittedAt(), accepted.resources()));
		}
		if (rejection.isPresent()) {
			JobView rejected = JobViews.rejected(accepted, rejection.get(), now);
			this.stores.put(new JobEntry(rejected, null));
			out.job(rejected);
			return;
		}
		JobView queued = JobViews.queued(accepted, null, now);
		JobEntry entry = new JobEntry(queued, null);
		if (this.policy.maxQueuedTime() != null) {
			entry = this.timers.set(entry, queued.submittedAt().plus(this.policy.maxQueuedTime()), Timers.QUEUED);
		}
		this.stores.put(entry);
		this.stores.enqueue(queued);
		out.job(queued);
		this.cycle.run(queued.pool(), out);
		// a job behind the planner's window gets its reason here; later cycles refresh it once it is in view
		JobEntry after = this.stores.job(queued.jobId());
		if (after.view().status() == JobStatus.QUEUED && after.view().position() == null) {
			List<JobEntry> head = this.stores.queueHeads(queued.pool(), 1);
			String headId = head.isEmpty() ? queued.jobId() : head.get(0).view().jobId();
			JobView waiting = JobViews.behind(after.view(), headId, now);
			this.stores.put(after.withView(waiting));
			out.job(waiting);
		}
	}

	private Optional<String> invalid(SubmitJob command) {
		List<FieldError> errors = JobSpecValidator.validate(command.spec(), command.user(), this.sharedRoot);
		if (errors.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of("invalid JobSpec: " + errors.stream()
			.map((e) -> e.field().isEmpty() ? e.message() : e.field() + " " + e.message())
			.collect(Collectors.joining("; ")));
	}

	private void onStop(StopJob stop, Outbox out) {
		JobEntry entry = this.stores.job(stop.jobId());
		if (entry == null || entry.view().status().isTerminal()) {
			// a stop of an ended job is a no-op (the api answers that it already ended)
			log.info("stop of {} ignored: {}", stop.jobId(), (entry == null) ? "unknown job" : "already ended");
			return;
		}
		Instant now = this.clock.instant();
		JobView view = entry.view();
		String by = (stop.by() != null) ? stop.by() : "unknown";
		if (view.status() == JobStatus.QUEUED) {
			// never reached Ray: it ends here, and the queue behind it may move
			JobView stopped = JobViews.stopped(view, "stopped by " + by, now);
			this.stores.dequeue(view);
			this.stores.put(this.timers.clear(entry.withView(stopped)));
			out.job(stopped);
			this.cycle.run(view.pool(), out);
		}
		else if (view.status().holdsResources()) {
			JobView requested = JobViews.stopRequested(view, by, now);
			this.stores.put(entry.withView(requested).withStopRequestedBy(by));
			out.job(requested);
			out.command(new StopOnRay(view.jobId(), view.pool(), "user"));
		}
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

	private void onObserved(JobObserved observed, Outbox out) {
		JobEntry entry = this.stores.job(observed.jobId());
		if (entry == null) {
			log.debug("ignoring observation of unknown job {}", observed.jobId());
			return;
		}
		Instant now = this.clock.instant();
		Optional<JobView> next = JobViews.observed(entry.view(), observed, entry.stopRequestedBy(), now);
		if (next.isEmpty()) {
			return;
		}
		JobView view = next.get();
		if (entry.timedOutAt() != null && view.status() == JobStatus.STOPPED) {
			// Ray confirms the stop the timeout asked for
			view = JobViews.timedOut(entry.view(), Reasons.timedOut(timeoutText(entry.view())), now);
		}
		JobEntry current = entry;
		if (view.status() == JobStatus.RUNNING && entry.view().status() != JobStatus.RUNNING
				&& entry.timedOutAt() == null && view.startedAt() != null) {
			// the timeout counts from Ray's start: the deadline moves there
			current = this.cycle.deadline(entry, view.startedAt().plus(this.cycle.timeoutOf(view)), out);
		}
		finish(current, view, out);
	}

	/**
	 * Fires the due timers of the deadline index: a job past its deadline gets {@code StopOnRay(timeout)}; one
	 * whose stop Ray did not confirm within the grace ends TIMED_OUT; one queued too long ends REJECTED.
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
			JobView view = entry.view();
			if (Timers.QUEUED.equals(timer.value) && view.status() == JobStatus.QUEUED) {
				JobView rejected = JobViews.rejected(view,
						Reasons.queuedTooLong(this.policy.maxQueuedTime().toString()), now);
				this.stores.dequeue(view);
				this.stores.put(entry.withView(rejected));
				out.job(rejected);
				this.cycle.run(view.pool(), out);
			}
			else if (Timers.RUN.equals(timer.value) && view.status().holdsResources()) {
				JobView requested = JobViews.waiting(view, Reasons.timedOut(timeoutText(view)), now);
				JobEntry next = this.timers.set(entry.withView(requested).timedOut(now), now.plus(this.policy.stopGrace()),
						Timers.GRACE);
				this.stores.put(next);
				out.job(requested);
				out.command(new StopOnRay(view.jobId(), view.pool(), "timeout"));
			}
			else if (Timers.GRACE.equals(timer.value) && view.status().holdsResources()) {
				JobView ended = JobViews.timedOut(view, Reasons.timedOut(timeoutText(view))
						+ "; Ray did not confirm the stop within " + this.policy.stopGrace(), now);
				finish(entry, ended, out);
			}
			else {
				this.stores.put(entry);
			}
		}
	}

	private String timeoutText(JobView view) {
		return this.cycle.timeoutOf(view).toString();
	}

	private void onSubmitted(Submitted submitted, Outbox out) {
		JobEntry entry = this.stores.job(submitted.jobId());
		if (entry != null && entry.view().status() == JobStatus.DISPATCHED) {
			JobView view = JobViews.submitted(entry.view(), this.clock.instant());
			this.stores.put(entry.withView(view));
			out.job(view);
		}
	}

	private void onSubmitFailed(SubmitFailed failed, Outbox out) {
		JobEntry entry = this.stores.job(failed.jobId());
		// once Ray reported the job, a late failure report is stale
		if (entry != null && entry.view().status() == JobStatus.DISPATCHED) {
			JobView view = JobViews.failed(entry.view(), "submit failed: " + failed.reason(), this.clock.instant());
			finish(entry, view, out);
		}
	}

	/** Stores and publishes a job's next view; a job that ended gives its GPUs back and the pool plans again. */
	private void finish(JobEntry entry, JobView next, Outbox out) {
		JobEntry stored = next.status().isTerminal() ? this.timers.clear(entry.withView(next)) : entry.withView(next);
		this.stores.put(stored);
		out.job(next);
		if (next.status().isTerminal()) {
			this.cycle.release(entry.view(), out);
			this.fleet.released(entry.view(), out);
			this.cycle.run(next.pool(), out);
		}
	}

}
