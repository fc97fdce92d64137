package io.raylane.scheduler.topology;

import java.time.Instant;

import io.raylane.scheduler.core.JobState;
import io.raylane.topics.job.JobView;

/**
 * A row of the job table (store {@value SchedulerTopology#STORE_JOBS}, key = job id): the
 * job's state as the per-event rules see it ({@link JobState}) plus its key in the
 * deadline index. Stored flat, as JSON: a field added later reads as null from an older
 * row.
 *
 * @param view the JobView as last published on {@code raylane.job-states}
 * @param stopRequestedBy who asked to stop the job while it was on Ray (names the STOPPED
 * reason), or null
 * @param timer the job's key in the deadline index (store
 * {@value SchedulerTopology#STORE_TIMERS}), or null
 * @param timedOutAt when the scheduler asked Ray to stop the job for its timeout, or null
 * @param resubmit the retryable submit failures of a DISPATCHED job, or null
 */
record JobEntry(JobView view, String stopRequestedBy, String timer, Instant timedOutAt, JobState.Resubmit resubmit) {

	JobEntry(JobView view, String stopRequestedBy) {
		this(view, stopRequestedBy, null, null, null);
	}

	/** A new row for a job the rules just created, without a timer yet. */
	static JobEntry of(JobState state) {
		return new JobEntry(null, null).with(state);
	}

	JobState state() {
		return new JobState(this.view, this.stopRequestedBy, this.timedOutAt, this.resubmit);
	}

	/** The row with the rules' next state; the timer key stays. */
	JobEntry with(JobState state) {
		return new JobEntry(state.view(), state.stopRequestedBy(), this.timer, state.timedOutAt(), state.resubmit());
	}

	JobEntry withView(JobView next) {
		return new JobEntry(next, this.stopRequestedBy, this.timer, this.timedOutAt, this.resubmit);
	}

	JobEntry withTimer(String key) {
		return new JobEntry(this.view, this.stopRequestedBy, key, this.timedOutAt, this.resubmit);
	}

}
