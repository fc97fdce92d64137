package io.raylane.nodeagent.ssh;

/**
 * The node could not be reached (refused, timed out, no route): the retry policy tries
 * again with backoff.
 */
public class TransientShellException extends ShellException {

	public TransientShellException(String message, Throwable cause) {
		super(message, true, cause);
	}

}
