package io.raylane.observer.publish;

/**
 * Another observer with the same transactional id took over; this one must stop
 * publishing.
 */
public class ObserverFencedException extends RuntimeException {

	public ObserverFencedException(String message, Throwable cause) {
		super(message, cause);
	}

}
