package io.raylane.rayclient.wire;

/**
 * The end of a log, bounded in lines and characters, as Ray's State API serves it
 * ({@code GET /api/v0/logs/file?lines=N}; docs/reference/ray-http.md). Pure.
 */
public final class LogTails {

	private LogTails() {
	}

	/**
	 * The last {@code lines} lines of {@code text} (a final line without its newline
	 * counts), then at most its last {@code maxChars} characters.
	 */
	public static String last(String text, int lines, int maxChars) {
		int end = text.length();
		int from = end;
		int seen = 0;
		// a trailing newline ends the last line; it does not start another
		int i = (end > 0 && text.charAt(end - 1) == '\n') ? end - 1 : end;
		while (i > 0 && seen < lines) {
			int nl = text.lastIndexOf('\n', i - 1);
			from = nl + 1;
			seen++;
			i = nl;
			if (nl < 0) {
				from = 0;
				break;
			}
		}
		if (lines <= 0) {
			from = end;
		}
		return (end - from > maxChars) ? text.substring(end - maxChars) : text.substring(from);
	}

}
