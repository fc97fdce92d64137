package io.raylane.scheduler.topology;

import java.time.Instant;

import io.raylane.topics.job.JobView;

/**
 * A row of the job table (store {@value SchedulerTopology#STORE_JOBS}, key = job id): the job's published
 * view plus what the scheduler keeps for itself.
 *
 * @param view the JobView as last published on {@code raylane.job-states}
 * @param stopRequestedBy who asked to stop the job while it was on Ray (names the STOPPED reason), or null
 * @param timer the job's key in the deadline index (store {@value SchedulerTopology#STORE_TIMERS}), or null
 * @param timedOutAt when the scheduler asked Ray to stop the job for its timeout, or null
 */
record JobEntry(JobView view, String stopRequestedBy, String timer, Instant timedOutAt) {

	JobEntry(JobView view, String stopRequestedBy) {
		this(view, stopRequestedBy, null, null);
	}

	JobEntry withView(JobView next) {
		return new JobEntry(next, this.stopRequestedBy, this.timer, this.timedOutAt);
	}

	JobEntry withTimer(String key) {
		return new JobEntry(this.view, this.stopRequestedBy, key, this.timedOutAt);
	}

	JobEntry withStopRequestedBy(String by) {
		return new JobEntry(this.view, by, this.timer, this.timedOutAt);
	}

	JobEntry timedOut(Instant at) {
		return new JobEntry(this.view, this.stopRequestedBy, this.timer, at);
	}

}
