package io.raylane.topics.job;

/**
 * Where a job is in its life (JobView.status). GPUs reserved for a job are released on
 * every terminal status.
 */
public enum JobStatus {

	/** The API wrote the SubmitJob command; the scheduler has not seen it yet. */
	ACCEPTED,
	/** The scheduler holds it; {@code reason} says why it waits. */
	QUEUED,
	/** Resources reserved and SubmitToRay emitted. */
	DISPATCHED,
	/** Ray accepted the submission. */
	SUBMITTED,
	/** Ray reports the driver running. */
	RUNNING, SUCCEEDED, FAILED, STOPPED, TIMED_OUT, REJECTED;

	public boolean isTerminal() {
		return switch (this) {
			case SUCCEEDED, FAILED, STOPPED, TIMED_OUT, REJECTED -> true;
			default -> false;
		};
	}

	/** Whether the job holds reserved GPUs in this status. */
	public boolean holdsResources() {
		return this == DISPATCHED || this == SUBMITTED || this == RUNNING;
	}

}
