package io.raylane.submitter.dispatch;

/**
 * Ray could not be told to stop a job. Retryable ones are thrown to the listener
 * container so the command is delivered again; the others are dead-lettered with Ray's
 * text.
 */
class StopNotDeliveredException extends RuntimeException {

	private final boolean retryable;

	StopNotDeliveredException(String message, boolean retryable) {
		super(message);
		this.retryable = retryable;
	}

	boolean retryable() {
		return this.retryable;
	}

}
