package io.raylane.nodeagent.ssh;

/**
 * A remote command could not be run or did not finish. The message is meant for an
 * operator and never contains key material.
 */
public class ShellException extends RuntimeException {

	private final boolean transientFailure;

	public ShellException(String message, boolean transientFailure, Throwable cause) {
		super(message, cause);
		this.transientFailure = transientFailure;
	}

	public ShellException(String message, boolean transientFailure) {
		this(message, transientFailure, null);
	}

	/**
	 * Trying again later may help (connection refused or timed out); host key and auth
	 * failures never do.
	 */
	public boolean transientFailure() {
		return this.transientFailure;
	}

}
