package io.raylane.scheduler.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.raylane.topics.events.SubmitFailed;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.job.WaitReason;

/**
 * The part of {@link JobEventRules} that settles {@code SubmitFailed.retryable} (issue 10
 * item 4; issue 12 item 8: Ray unavailable is not a job failure). A retryable failure
 * leaves the job DISPATCHED on its reservation, with the reason {@code ray_unavailable}
 * and a {@link JobTimer#RETRY} that sends the same SubmitToRay again; the job fails only
 * when the failures outlast {@link SubmitRetryPolicy#period()}.
 * <p>
 * Why the reservation is kept rather than the job queued again: the queue behind it is
 * not drained into failures while Ray is away (nothing could start on Ray anyway), the
 * resubmission is the same placement on the same nodes, and the job's one timer slot
 * holds the retry in place of its deadline, which the resubmission sets again.
 */
final class SubmitRetries {

	private SubmitRetries() {
	}

	/**
	 * A failed submission. Once Ray reported the job the report is stale. A refusal, a
	 * failure of a job someone asked to stop or that timed out, or a transient failure
	 * past the retry period ends the job FAILED.
	 */
	static JobStep failed(SubmitFailed failed, JobState current, SubmitRetryPolicy retry, Instant now) {
		JobView view = current.view();
		if (view.status() != JobStatus.DISPATCHED || current.awaitsResubmission()) {
			// stale, or a repeated report of the failure that scheduled the resubmission
			return JobStep.NONE;
		}
		if (!failed.retryable() || current.stopRequestedBy() != null || current.timedOutAt() != null) {
			return JobEventRules.end(current, JobViews.failed(view, Reasons.submitFailed(failed.reason()), now));
		}
		JobState.Resubmit before = current.resubmit();
		int failures = ((before != null) ? before.failures() : 0) + 1;
		Instant since = (before != null) ? before.since() : now;
		Instant at = retry.next(since, failures, now);
		if (at == null) {
			// the period is over (or zero: retries are off)
			String reason = (before != null)
					? Reasons.submitFailedAfterRetries(failed.reason(), retry.period().toString(), failures)
					: Reasons.submitFailed(failed.reason());
			return JobEventRules.end(current, JobViews.failed(view, reason, now));
		}
		WaitReason why = Reasons.rayUnavailable(failed.reason(), at);
		JobView waiting = view.toBuilder().reason(why.detail()).reasons(List.of(why)).updatedAt(now).build();
		return JobStep.to(current.withView(waiting).withResubmit(new JobState.Resubmit(failures, since, at)))
			.timer(JobTimer.RETRY, at);
	}

	/**
	 * A job that left DISPATCHED no longer waits for Ray: the {@code ray_unavailable}
	 * reason goes.
	 */
	static JobView withoutReason(JobView view) {
		if (view.reasons() == null) {
			return view;
		}
		Optional<WaitReason> why = view.reasons()
			.stream()
			.filter((r) -> Reasons.RAY_UNAVAILABLE.equals(r.code()))
			.findFirst();
		if (why.isEmpty()) {
			return view;
		}
		boolean ownReason = why.get().detail().equals(view.reason());
		return view.toBuilder().reasons(null).reason(ownReason ? null : view.reason()).build();
	}

}
