package io.raylane.scheduler.core;

import java.time.Instant;

import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;

/**
 * One job as the per-event rules ({@link JobEventRules}) see it: its published view plus
 * what the scheduler keeps for itself. The topology stores it in the job table beside the
 * job's key in the deadline index, which the rules never see (they say which timer the
 * job needs, not where it sits).
 *
 * @param view the JobView as last published on {@code raylane.job-states}
 * @param stopRequestedBy who asked to stop the job while it was on Ray (names the STOPPED
 * reason), or null
 * @param timedOutAt when the scheduler asked Ray to stop the job for its timeout, or null
 * @param resubmit the retryable submit failures of a DISPATCHED job, or null when it had
 * none
 */
public record JobState(JobView view, String stopRequestedBy, Instant timedOutAt, Resubmit resubmit) {

	public static JobState of(JobView view) {
		return new JobState(view, null, null, null);
	}

	public JobState withView(JobView next) {
		return new JobState(next, this.stopRequestedBy, this.timedOutAt, this.resubmit);
	}

	public JobState withStopRequestedBy(String by) {
		return new JobState(this.view, by, this.timedOutAt, this.resubmit);
	}

	public JobState timedOut(Instant at) {
		return new JobState(this.view, this.stopRequestedBy, at, this.resubmit);
	}

	public JobState withResubmit(Resubmit next) {
		return new JobState(this.view, this.stopRequestedBy, this.timedOutAt, next);
	}

	/**
	 * Whether a retryable submit failure left the job DISPATCHED, waiting for its
	 * {@link JobTimer#RETRY}.
	 */
	public boolean awaitsResubmission() {
		return this.view.status() == JobStatus.DISPATCHED && this.resubmit != null && this.resubmit.at() != null;
	}

	/**
	 * The retryable submit failures of a job (issue 10 item 4, issue 12 item 8: Ray
	 * unavailable is not a job failure, until it lasts longer than
	 * {@link SubmitRetryPolicy#period()}).
	 *
	 * @param failures how many retryable failures were reported
	 * @param since when the first of them was reported (the retry period counts from
	 * here)
	 * @param at when the job is submitted again; null once that submission was sent
	 */
	public record Resubmit(int failures, Instant since, Instant at) {

		Resubmit sent() {
			return new Resubmit(this.failures, this.since, null);
		}

	}

}
