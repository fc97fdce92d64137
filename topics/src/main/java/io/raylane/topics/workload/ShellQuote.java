package io.raylane.topics.workload;

/**
 * POSIX single-quoting for the composed entrypoint: inside single quotes nothing is special except the quote
 * itself, written as {@code '\''}. A copy of the submitter's, kept here so the composer stays in {@code topics}.
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
