package io.raylane.scheduler.core;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import io.raylane.topics.events.JobLost;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.StopDelivered;
import io.raylane.topics.events.StopJob;
import io.raylane.topics.events.StopOnRay;
import io.raylane.topics.events.SubmitFailed;
import io.raylane.topics.events.SubmitJob;
import io.raylane.topics.events.Submitted;
import io.raylane.topics.job.FieldError;
import io.raylane.jobspec.JobSpecSizes;
import io.raylane.jobspec.JobSpecValidator;
import io.raylane.jobspec.workload.StoragePolicy;
import io.raylane.topics.job.JobIds;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;

/**
 * What one event does to one job, as pure functions: the job as the topology loaded it
 * ({@link JobState}, null when unknown), the event (a job command, a Ray observation, a
 * submit result, or one of the job's timers firing) and "now" in; the effects
 * ({@link JobStep}) out. The topology loads, calls, then stores and forwards what comes
 * back; status changes go through {@link JobViews}, so {@link JobTransitions} guards each
 * of them.
 */
public final class JobEventRules {

	private final JobLimits limits;

	private final Path sharedRoot;

	private final List<Path> readOnlyRoots;

	/**
	 * @param sharedRoot the shared storage root, absolute; job directories are
	 * {@code <root>/jobs/<jobId>}
	 */
	public JobEventRules(JobLimits limits, Path sharedRoot) {
		this(limits, sharedRoot, List.of());
	}

	/**
	 * @param sharedRoot the shared storage root, absolute; job directories are
	 * {@code <root>/jobs/<jobId>}
	 * @param readOnlyRoots folders any user's model and data paths may name
	 * ({@link StoragePolicy})
	 */
	public JobEventRules(JobLimits limits, Path sharedRoot, List<Path> readOnlyRoots) {
		this.limits = limits;
		this.sharedRoot = sharedRoot;
		this.readOnlyRoots = List.copyOf(readOnlyRoots);
	}

	/**
	 * A SubmitJob: the job is queued (and planned at once), or rejected when its id or
	 * spec is invalid or it is larger than its pool can ever offer. A repeated SubmitJob
	 * changes nothing.
	 * @param pool the job's pool as it is now (null when {@code current} is not)
	 */
	public JobStep submit(SubmitJob command, JobState current, PoolSnapshot pool, Instant now) {
		return submit(command, current, pool, 0, now);
	}

	/**
	 * {@link #submit(SubmitJob, JobState, PoolSnapshot, Instant)}, and a job whose owner
	 * already has as many jobs queued or running as one user may ({@code max_jobs}) is
	 * rejected (issue 12).
	 * @param userActiveJobs the owner's jobs queued or running now, across pools
	 */
	public JobStep submit(SubmitJob command, JobState current, PoolSnapshot pool, int userActiveJobs, Instant now) {
		return submit(command, current, (pool != null) ? PoolIndex.of(pool) : null, userActiveJobs, now);
	}

	/**
	 * {@link #submit(SubmitJob, JobState, PoolSnapshot, int, Instant)} over the pool's
	 * index, which the topology keeps up to date (issue 17: no copy of the pool per
	 * submission).
	 */
	public JobStep submit(SubmitJob command, JobState current, PoolIndex pool, int userActiveJobs, Instant now) {
		if (current != null) {
			return JobStep.none("ignoring duplicate SubmitJob " + command.jobId());
		}
		String idProblem = JobIds.problem(command.jobId());
		String jobDir = (idProblem == null) ? this.sharedRoot.resolve("jobs").resolve(command.jobId()).toString()
				: null;
		JobView accepted = JobViews.accepted(command, jobDir, now);
		Optional<String> rejection = (idProblem != null) ? Optional.of(idProblem) : invalid(command);
		if (rejection.isEmpty() && !this.limits.activeJobCaps().allows(command.user(), userActiveJobs, 1)) {
			rejection = Optional
				.of(Reasons.tooManyJobs(userActiveJobs, this.limits.activeJobCaps().limitOf(command.user())));
		}
		if (rejection.isEmpty()) {
			rejection = pool.neverFits(QueuedJob.of(accepted.jobId(), accepted.submittedAt(), accepted.resources()));
		}
		if (rejection.isPresent()) {
			return JobStep.to(JobState.of(JobViews.rejected(withoutBulk(accepted), rejection.get(), now)));
		}
		JobView queued = JobViews.queued(accepted, null, now);
		JobStep step = JobStep.to(JobState.of(queued)).planning();
		return (this.limits.maxQueuedTime() != null)
				? step.timer(JobTimer.QUEUED, Deadlines.after(queued.submittedAt(), this.limits.maxQueuedTime()))
				: step;
	}

	/**
	 * A StopJob, JobObserved, JobLost, Submitted, SubmitFailed or StopDelivered of the
	 * job.
	 */
	public JobStep apply(Object event, JobState current, Instant now) {
		if (event instanceof StopDelivered delivered) {
			// Ray's STOPPED observation ends the job; the delivery itself changes nothing
			return JobStep
				.none("stop of " + delivered.jobId() + " delivered to Ray (stopped=" + delivered.stopped() + ")");
		}
		if (event instanceof StopJob stop) {
			return (current == null || current.view().status().isTerminal()) ? JobStep
				.none("stop of " + stop.jobId() + " ignored: " + ((current == null) ? "unknown job" : "already ended"))
					: stop(stop, current, now);
		}
		if (current == null) {
			// Ray runs jobs Raylane does not know, and results may outlive a job's record
			return JobStep.NONE;
		}
		if (event instanceof JobObserved observed) {
			return observed(observed, current, now);
		}
		if (event instanceof JobLost lost) {
			return LostJobs.lost(lost, current, now);
		}
		if (event instanceof Submitted) {
			return (current.view().status() == JobStatus.DISPATCHED)
					? onRay(current, JobViews.submitted(SubmitRetries.withoutReason(current.view()), now), now)
					: JobStep.NONE;
		}
		if (event instanceof SubmitFailed failed) {
			return SubmitRetries.failed(failed, current, this.limits.submitRetry(), now);
		}
		throw new IllegalArgumentException("not a job event: " + event);
	}

	/**
	 * One of the job's timers fired (the topology checked it is still the job's timer).
	 */
	public JobStep timerFired(JobTimer kind, JobState current, Instant now) {
		JobView view = current.view();
		if (kind == JobTimer.QUEUED && view.status() == JobStatus.QUEUED) {
			return end(current,
					JobViews.rejected(view, Reasons.queuedTooLong(String.valueOf(this.limits.maxQueuedTime())), now));
		}
		if (kind == JobTimer.RUN && view.status().holdsResources()) {
			JobView requested = JobViews.waiting(view, Reasons.timedOut(timeoutText(view)), now);
			return JobStep.to(current.withView(requested).timedOut(now))
				.timer(JobTimer.GRACE, Deadlines.after(now, this.limits.stopGrace()))
				.stop(new StopOnRay(view.jobId(), view.pool(), "timeout"));
		}
		if (kind == JobTimer.GRACE && view.status().holdsResources()) {
			return end(current, JobViews.timedOut(view, Reasons.timedOut(timeoutText(view))
					+ "; Ray did not confirm the stop within " + this.limits.stopGrace(), now));
		}
		if (kind == JobTimer.RETRY && current.awaitsResubmission()) {
			// the same submission again, on the same reservation; its deadline counts
			// from now
			return JobStep.keep(current.withResubmit(current.resubmit().sent()))
				.timer(JobTimer.RUN, Deadlines.after(now, this.limits.timeoutOf(view)))
				.resubmitting();
		}
		return JobStep.NONE;
	}

	private JobStep stop(StopJob stop, JobState current, Instant now) {
		JobView view = current.view();
		String by = Reasons.stoppedBy(stop.by(), stop.reason());
		if (view.status() == JobStatus.QUEUED || current.awaitsResubmission()) {
			// never reached Ray (as far as anyone knows): it ends here, and the queue
			// behind it may move
			JobStep step = end(current, JobViews.stopped(view, "stopped by " + by, now));
			// a submission whose answer was lost may have reached Ray all the same
			return view.status().holdsResources() ? step.stop(new StopOnRay(view.jobId(), view.pool(), "user")) : step;
		}
		if (!view.status().holdsResources()) {
			return JobStep.NONE;
		}
		return JobStep.to(current.withView(JobViews.stopRequested(view, by, now)).withStopRequestedBy(by))
			.stop(new StopOnRay(view.jobId(), view.pool(), "user"));
	}

	private JobStep observed(JobObserved observed, JobState current, Instant now) {
		JobView view = current.view();
		Optional<JobView> seen = JobViews.observed(view, observed, current.stopRequestedBy(), now);
		if (seen.isEmpty()) {
			return JobStep.NONE;
		}
		JobView next = seen.get();
		if (current.timedOutAt() != null && next.status() == JobStatus.STOPPED) {
			// Ray confirms the stop the timeout asked for
			next = JobViews.timedOut(view, Reasons.timedOut(timeoutText(view)), now);
		}
		if (next.status().isTerminal()) {
			return end(current, next);
		}
		if (next.status() == JobStatus.RUNNING && view.status() != JobStatus.RUNNING && current.timedOutAt() == null
				&& next.startedAt() != null) {
			// the timeout counts from Ray's start: the deadline moves there
			return JobStep.to(current.withView(SubmitRetries.withoutReason(next)).withResubmit(null))
				.timer(JobTimer.RUN, Deadlines.after(next.startedAt(), this.limits.timeoutOf(next)));
		}
		return onRay(current, SubmitRetries.withoutReason(next), now);
	}

	/**
	 * The job reached Ray after all. One waiting to be submitted again (the answer to an
	 * earlier submission was lost) gets its deadline back in place of the retry.
	 */
	private JobStep onRay(JobState current, JobView next, Instant now) {
		JobStep step = JobStep.to(current.withView(next).withResubmit(null));
		return current.awaitsResubmission()
				? step.timer(JobTimer.RUN, Deadlines.after(now, this.limits.timeoutOf(next))) : step;
	}

	/**
	 * A SubmitJob whose data made {@link #submit} throw (issue 12): the job is REJECTED
	 * with what broke, instead of the record going round again.
	 */
	public JobStep unschedulable(SubmitJob command, RuntimeException ex, Instant now) {
		String idProblem = JobIds.problem(command.jobId());
		String jobDir = (idProblem == null) ? this.sharedRoot.resolve("jobs").resolve(command.jobId()).toString()
				: null;
		JobView accepted = JobViews.accepted(command, jobDir, now);
		return JobStep.to(JobState.of(JobViews.rejected(withoutBulk(accepted), Reasons.unschedulable(ex), now)));
	}

	/**
	 * Issue 12: the view of a job refused for its size keeps the spec without its bulk
	 * (command, env, overrides), so that the refusal itself fits in a record.
	 */
	private static JobView withoutBulk(JobView view) {
		return JobSpecSizes.tooLarge(view.spec()) ? view.toBuilder().spec(JobSpecSizes.withoutBulk(view.spec())).build()
				: view;
	}

	/**
	 * A known job whose data made {@link #apply} or {@link #timerFired} throw (issue 12):
	 * it ends with what broke. A queued job is REJECTED; one holding GPUs is FAILED,
	 * stopped on Ray and gives its GPUs back; an ended one stays as it is.
	 */
	public JobStep unschedulable(JobState current, RuntimeException ex, Instant now) {
		JobView view = current.view();
		String reason = Reasons.unschedulable(ex);
		if (view.status() == JobStatus.ACCEPTED || view.status() == JobStatus.QUEUED) {
			return end(current, JobViews.rejected(view, reason, now));
		}
		if (!view.status().holdsResources()) {
			return JobStep.none("cannot process an event of ended job " + view.jobId() + ": " + reason);
		}
		return end(current, JobViews.failed(view, reason, now))
			.stop(new StopOnRay(view.jobId(), view.pool(), "failed"));
	}

	/**
	 * The job ends: it loses its timer; one that held GPUs gives them back, one that was
	 * queued lets the queue move (an update of an ended job, such as a late failure
	 * diagnosis, frees nothing a second time).
	 */
	static JobStep end(JobState current, JobView ended) {
		JobStep step = JobStep.to(current.withView(ended).withResubmit(null)).clearTimer();
		if (current.view().status().holdsResources()) {
			return step.releasing();
		}
		return (current.view().status() == JobStatus.QUEUED) ? step.planning() : step;
	}

	private String timeoutText(JobView view) {
		return this.limits.timeoutOf(view).toString();
	}

	private Optional<String> invalid(SubmitJob command) {
		List<FieldError> errors = JobSpecValidator.validate(command.spec(), this.limits.maxTimeout(),
				new StoragePolicy(this.sharedRoot, this.readOnlyRoots, command.user()));
		if (errors.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of("invalid JobSpec: " + errors.stream()
			.map((e) -> e.field().isEmpty() ? e.message() : e.field() + " " + e.message())
			.collect(Collectors.joining("; ")));
	}

}
