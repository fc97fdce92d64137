package io.raylane.submitter.ray;

/**
 * Raised inside a retried call when Ray's answer is transient (5xx other than a
 * duplicate, 408, 429); the retry policy retries exactly this and connection errors.
 */
final class TransientRayFailure extends RuntimeException {

	TransientRayFailure(String reason) {
		super(reason, null, false, false);
	}

}
