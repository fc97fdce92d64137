package io.raylane.submitter.ray;

/**
 * Ray answered a call in a way its caller cannot use, or could not be reached after the
 * bounded retries.
 */
public class RayCallException extends RuntimeException {

	private final boolean retryable;

	public RayCallException(String message, boolean retryable) {
		super(message);
		this.retryable = retryable;
	}

	/** Whether trying again later may succeed. */
	public boolean retryable() {
		return this.retryable;
	}

}
