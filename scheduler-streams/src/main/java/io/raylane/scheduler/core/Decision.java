package io.raylane.scheduler.core;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import io.raylane.topics.job.WaitReason;

/**
 * The planner's outcome for one queued job, always with enough to act on: the chosen
 * nodes of a dispatch, or the reasons of a wait or a rejection.
 *
 * @param outcome what happens to the job
 * @param jobId the job
 * @param nodes for DISPATCH, the distinct nodes whose GPUs to reserve, in choice order;
 * empty otherwise
 * @param reason for WAIT and REJECT, why in one sentence (the JobView reason); null for
 * DISPATCH
 * @param reasons for WAIT, every reason the job waits (the JobView reasons); empty
 * otherwise
 * @param position for WAIT, the job's place among the pool's waiting jobs (1 = next);
 * null otherwise
 * @param estimatedStart for WAIT, when the job is expected to start, if deadlines make it
 * computable
 */
public record Decision(Outcome outcome, String jobId, List<String> nodes, String reason, List<WaitReason> reasons,
		Integer position, Instant estimatedStart) {

	public Decision {
		nodes = (nodes != null) ? List.copyOf(nodes) : List.of();
		reasons = (reasons != null) ? List.copyOf(reasons) : List.of();
	}

	public static Decision dispatch(String jobId, List<String> nodes) {
		return new Decision(Outcome.DISPATCH, jobId, nodes, null, List.of(), null, null);
	}

	/**
	 * A wait with one free-text reason (the queue's tail, behind the planner's window).
	 */
	public static Decision waiting(String jobId, String reason) {
		return new Decision(Outcome.WAIT, jobId, List.of(), reason, List.of(), null, null);
	}

	/** A wait with all of its reasons; the one-sentence reason joins their details. */
	public static Decision waiting(String jobId, List<WaitReason> reasons, int position, Instant estimatedStart) {
		// issue 17: every event decides a whole window of waiting jobs, nearly all with
		// one
		// reason, so that common case skips building a stream and a joiner per job
		String sentence = (reasons.size() == 1) ? String.valueOf(reasons.get(0).detail())
				: reasons.stream().map(WaitReason::detail).collect(Collectors.joining("; "));
		return new Decision(Outcome.WAIT, jobId, List.of(), sentence, reasons, position, estimatedStart);
	}

	public static Decision reject(String jobId, String reason) {
		return new Decision(Outcome.REJECT, jobId, List.of(), reason, List.of(), null, null);
	}

	/** The codes of the wait reasons, in order (for tests and logs). */
	public List<String> codes() {
		return this.reasons.stream().map(WaitReason::code).toList();
	}

	/** What happens to a queued job in one planning cycle. */
	public enum Outcome {

		/** Reserve the nodes' GPUs and submit the job to Ray. */
		DISPATCH,
		/** Stay QUEUED, with the reasons. */
		WAIT,
		/** The pool can never hold the job: REJECTED, with the reason. */
		REJECT

	}

}
