package io.raylane.cli.render;

import java.util.List;

/** The last lines of a driver log, as {@code submit --follow} shows them at the end. */
public final class LogTail {

	private LogTail() {
	}

	public static String last(String log, int lines) {
		if (log == null || log.isEmpty() || lines <= 0) {
			return "";
		}
		List<String> all = log.lines().toList();
		List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
		return String.join("\n", tail) + "\n";
	}

}
