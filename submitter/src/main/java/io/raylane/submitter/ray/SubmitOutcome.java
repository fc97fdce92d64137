package io.raylane.submitter.ray;

/** What became of a submission to Ray. */
public sealed interface SubmitOutcome {

	/**
	 * Ray has the job.
	 *
	 * @param alreadySubmitted true when Ray answered that the submission id was already
	 * used (a redelivery)
	 */
	record Accepted(boolean alreadySubmitted) implements SubmitOutcome {
	}

	/**
	 * Ray did not take the job.
	 *
	 * @param retryable true for transient failures (network, 5xx) after the bounded
	 * retries; false for refusals
	 * @param reason Ray's text (trimmed) or the transport error
	 */
	record Failed(boolean retryable, String reason) implements SubmitOutcome {
	}

}
