package io.raylane.observer.ray;

/** Ray could not be read this time; the next poll tries again. */
public class RayPollException extends RuntimeException {

	public RayPollException(String message) {
		super(message);
	}

	public RayPollException(String message, Throwable cause) {
		super(message, cause);
	}

}
