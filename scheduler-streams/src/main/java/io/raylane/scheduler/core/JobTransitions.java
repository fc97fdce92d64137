package io.raylane.scheduler.core;

import io.raylane.topics.job.JobStatus;

/**
 * The job lifecycle in one place: which status may follow which. Every status change the
 * scheduler makes goes through {@link #isAllowed}, so a late or duplicated event can
 * never move a job backwards or revive a terminal one. GPUs are released on every
 * terminal status ({@link JobStatus#isTerminal()}).
 */
public final class JobTransitions {

	private JobTransitions() {
	}

	public static boolean isAllowed(JobStatus from, JobStatus to) {
		return switch (from) {
			// the scheduler's first look at a SubmitJob: it waits, or can never run
			case ACCEPTED -> to == JobStatus.QUEUED || to == JobStatus.REJECTED;
			// a queued job is admitted, stopped by its owner, or found larger than its
			// pool
			case QUEUED -> to == JobStatus.DISPATCHED || to == JobStatus.STOPPED || to == JobStatus.REJECTED;
			// Ray may be seen running or even ended before the submitter's Submitted
			// arrives
			case DISPATCHED -> to == JobStatus.SUBMITTED || to == JobStatus.RUNNING || endsOnRay(to);
			case SUBMITTED -> to == JobStatus.RUNNING || endsOnRay(to);
			case RUNNING -> endsOnRay(to);
			case SUCCEEDED, FAILED, STOPPED, TIMED_OUT, REJECTED -> false;
		};
	}

	/** Throws when the change is not allowed; returns {@code to} so callers can chain. */
	public static JobStatus require(String jobId, JobStatus from, JobStatus to) {
		if (!isAllowed(from, to)) {
			throw new IllegalStateException("job " + jobId + " cannot go from " + from + " to " + to);
		}
		return to;
	}

	/**
	 * A job that reached Ray ends there: succeeded, failed, stopped or timed out, never
	 * rejected.
	 */
	private static boolean endsOnRay(JobStatus to) {
		return to.isTerminal() && to != JobStatus.REJECTED;
	}

}
