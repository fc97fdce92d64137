package io.raylane.jobspec.workload;

/**
 * POSIX single-quoting, the one every value that reaches a shell goes through: the
 * composed entrypoint, the submitter's {@code submit_cmd.txt}, the node-agent's SSH
 * command lines. Inside single quotes nothing is special except the quote itself, written
 * as {@code '\''} (close, escaped quote, reopen); so {@code $()}, backticks, spaces and
 * newlines stay literal.
 */
public final class ShellQuote {

	private ShellQuote() {
	}

	/** {@code it's} → {@code 'it'\''s'}; the empty string → {@code ''}. */
	public static String quote(String value) {
		if (value == null) {
			throw new IllegalArgumentException("cannot quote a missing value");
		}
		if (value.indexOf('\0') >= 0) {
			throw new IllegalArgumentException("a shell argument cannot contain NUL");
		}
		return "'" + value.replace("'", "'\\''") + "'";
	}

}
