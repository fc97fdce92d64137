package io.raylane.scheduler.core;

import java.time.Instant;

import io.raylane.topics.events.JobLost;
import io.raylane.topics.events.StopOnRay;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;

/**
 * The part of {@link JobEventRules} that ends a job Ray no longer knows (issue 11 item 4:
 * the Ray head restarted without GCS fault tolerance and forgot its job table). The
 * observer decides that Ray lost the job ({@link JobLost}: left out of every successful
 * answer for its grace period); this rule decides what the job becomes.
 * <p>
 * A job Ray had accepted (SUBMITTED or RUNNING) ends, and its GPUs come back: FAILED with
 * the reason {@code ray_lost_job: …}, or STOPPED / TIMED_OUT when a stop was already
 * asked for. It is never submitted again: its driver may have run in part (its processes
 * died with the head's cluster), and running a job twice is forbidden. A DISPATCHED job
 * is not Ray's to lose: its submission is still being answered, or it waits with
 * {@code ray_unavailable} and is submitted again when the head answers
 * ({@link SubmitRetries}). A {@link StopOnRay} goes out all the same, so a job that Ray
 * does still run (a false alarm) cannot go on using GPUs the scheduler hands out again.
 */
final class LostJobs {

	/** The stop reason of the StopOnRay sent for a lost job. */
	static final String STOP_REASON = "lost";

	private LostJobs() {
	}

	static JobStep lost(JobLost lost, JobState current, Instant now) {
		JobView view = current.view();
		if (view.status() != JobStatus.SUBMITTED && view.status() != JobStatus.RUNNING) {
			return JobStep.none("ignoring JobLost of " + view.jobId() + " (" + view.status() + ")");
		}
		String reason = Reasons.rayLostJob(lost.missingSince());
		JobView ended;
		if (current.stopRequestedBy() != null) {
			ended = JobViews.stopped(view, "stopped by " + current.stopRequestedBy() + "; " + reason, now);
		}
		else if (current.timedOutAt() != null) {
			ended = JobViews.timedOut(view, view.reason() + "; " + reason, now);
		}
		else {
			ended = JobViews.failed(view, reason, now);
		}
		return JobEventRules.end(current, ended).stop(new StopOnRay(view.jobId(), view.pool(), STOP_REASON));
	}

}
