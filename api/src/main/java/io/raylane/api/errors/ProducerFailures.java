package io.raylane.api.errors;

import org.apache.kafka.common.errors.RecordTooLargeException;

import org.springframework.http.HttpStatus;

/**
 * What a failed write to Kafka answers. A record the broker or the producer refuses for
 * its size will never be accepted, however often the caller retries: that is the
 * request's fault, 413 (issue 12). Anything else (no broker, a timeout) may pass on a
 * retry: 503.
 */
public final class ProducerFailures {

	private ProducerFailures() {
	}

	/**
	 * @param failure what the send (or the wait for its acknowledgement) threw
	 * @param what the request in words, e.g. "the command for rl-1"
	 * @param advice what the caller should do before retrying a 503
	 */
	public static ApiException answer(Throwable failure, String what, String advice) {
		if (tooLarge(failure)) {
			return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "record_too_large", null, what
					+ " is too large for the broker; send a smaller request (a shorter command, env or overrides)");
		}
		return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "kafka_unavailable", null,
				"the broker did not acknowledge " + what + "; " + advice);
	}

	static boolean tooLarge(Throwable failure) {
		for (Throwable t = failure; t != null; t = (t.getCause() != t) ? t.getCause() : null) {
			if (t instanceof RecordTooLargeException) {
				return true;
			}
		}
		return false;
	}

}
