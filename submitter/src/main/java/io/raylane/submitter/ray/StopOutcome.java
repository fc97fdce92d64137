package io.raylane.submitter.ray;

/** What became of a stop request to Ray. */
public sealed interface StopOutcome {

	/**
	 * Ray answered the stop.
	 *
	 * @param stopped true when a live job was told to stop; false when it had ended or
	 * Ray does not know it
	 */
	record Delivered(boolean stopped) implements StopOutcome {
	}

	/**
	 * Ray could not be told.
	 *
	 * @param retryable true for transient failures after the bounded retries; false for
	 * refusals
	 * @param reason Ray's text (trimmed) or the transport error
	 */
	record Failed(boolean retryable, String reason) implements StopOutcome {
	}

}
