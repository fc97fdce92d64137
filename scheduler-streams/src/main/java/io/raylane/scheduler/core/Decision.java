package io.raylane.scheduler.core;

import java.util.List;

/**
 * The planner's outcome for one queued job, always with enough to act on: the chosen nodes of a dispatch,
 * or the human reason of a wait or a rejection.
 *
 * @param outcome what happens to the job
 * @param jobId the job
 * @param nodes for DISPATCH, the distinct nodes whose GPUs to reserve, in choice order; empty otherwise
 * @param reason for WAIT and REJECT, why (shown to the user as the JobView reason); null for DISPATCH
 */
public record Decision(Outcome outcome, String jobId, List<String> nodes, String reason) {

	public Decision {
		nodes = (nodes != null) ? List.copyOf(nodes) : List.of();
	}

	public static Decision dispatch(String jobId, List<String> nodes) {
		return new Decision(Outcome.DISPATCH, jobId, nodes, null);
	}

	public static Decision waiting(String jobId, String reason) {
		return new Decision(Outcome.WAIT, jobId, List.of(), reason);
	}

	public static Decision reject(String jobId, String reason) {
		return new Decision(Outcome.REJECT, jobId, List.of(), reason);
	}

	/** What happens to a queued job in one planning cycle. */
	public enum Outcome {

		/** Reserve the nodes' GPUs and submit the job to Ray. */
		DISPATCH,
		/** Stay QUEUED, with the reason. */
		WAIT,
		/** The pool can never hold the job: REJECTED, with the reason. */
		REJECT

	}

}
