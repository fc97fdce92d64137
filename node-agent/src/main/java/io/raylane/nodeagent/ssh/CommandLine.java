package io.raylane.nodeagent.ssh;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns an argv into the one command line SSH carries (an SSH exec request is a single string the remote login
 * shell parses). Pure. Every element is POSIX single-quoted: inside single quotes nothing is special except the
 * quote itself, written {@code '\''}, so {@code ;}, {@code $()}, backticks, spaces and newlines stay literal and the
 * remote program receives exactly {@code argv}.
 */
public final class CommandLine {

	private CommandLine() {
	}

	public static String of(List<String> argv) {
		if (argv == null || argv.isEmpty()) {
			throw new IllegalArgumentException("an empty command");
		}
		return argv.stream().map(CommandLine::quote).collect(Collectors.joining(" "));
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
