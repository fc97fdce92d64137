package io.raylane.cli;

/**
 * A failure the CLI explains in one line on stderr and ends with {@link #exitCode()}
 * ({@link ExitCodes}); no stack trace, since the message says what to do.
 */
public class CliException extends RuntimeException {

	private final int exitCode;

	public CliException(int exitCode, String message) {
		super(message);
		this.exitCode = exitCode;
	}

	public int exitCode() {
		return this.exitCode;
	}

}
