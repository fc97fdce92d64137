package io.raylane.observer.lost;

import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;

/**
 * A job Raylane holds on Ray, as {@code raylane.job-states} says: Ray accepted its
 * submission (SUBMITTED) or reported it running (RUNNING), and it has not ended.
 *
 * @param jobId the job id (Ray's submission id)
 * @param pool the job's pool
 * @param status SUBMITTED or RUNNING
 */
public record HeldJob(String jobId, String pool, JobStatus status) {

	/**
	 * Whether a job of this status is on Ray as far as Raylane knows. DISPATCHED is not:
	 * its submission may never have reached Ray (the scheduler submits it again while Ray
	 * is unavailable).
	 */
	public static boolean heldOnRay(JobStatus status) {
		return status == JobStatus.SUBMITTED || status == JobStatus.RUNNING;
	}

	/** The job a snapshot describes, when Raylane holds it on Ray. */
	public static HeldJob of(JobView view) {
		return heldOnRay(view.status()) ? new HeldJob(view.jobId(), view.pool(), view.status()) : null;
	}

}
