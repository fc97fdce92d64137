package io.raylane.scheduler.topology;

import io.raylane.topics.job.JobView;

/**
 * A row of the job table (store {@value SchedulerTopology#STORE_JOBS}, key = job id): the job's published
 * view plus what the scheduler keeps for itself.
 *
 * @param view the JobView as last published on {@code raylane.job-states}
 * @param stopRequestedBy who asked to stop the job while it was on Ray (names the STOPPED reason), or null
 */
record JobEntry(JobView view, String stopRequestedBy) {

	JobEntry withView(JobView next) {
		return new JobEntry(next, this.stopRequestedBy);
	}

}
