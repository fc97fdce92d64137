package io.raylane.cli;

/**
 * The exit codes of {@code raylane} (docs/cli.md): scripts tell a job that did not
 * succeed from a refused request and from an unreachable API.
 */
public final class ExitCodes {

	/** The command did what was asked (and a followed job SUCCEEDED). */
	public static final int OK = 0;

	/**
	 * A followed job ended otherwise than SUCCEEDED (FAILED, STOPPED, TIMED_OUT,
	 * REJECTED).
	 */
	public static final int JOB_NOT_SUCCEEDED = 1;

	/**
	 * A bad command line, or a file named on it that cannot be read (picocli's own 2).
	 */
	public static final int USAGE = 2;

	/** The API refused the request (a 4xx: the message names the field at fault). */
	public static final int REFUSED = 3;

	/** The API could not be reached, answered 5xx, or answered something unreadable. */
	public static final int UNAVAILABLE = 4;

	/**
	 * No API URL or token: neither {@code raylane login} nor RAYLANE_URL/RAYLANE_TOKEN.
	 */
	public static final int NOT_LOGGED_IN = 5;

	/** A bug in the CLI itself. */
	public static final int INTERNAL = 70;

	private ExitCodes() {
	}

}
