package io.raylane.nodeagent.ssh;

import java.util.List;
import java.util.stream.Collectors;

import io.raylane.jobspec.workload.ShellQuote;

/**
 * Turns an argv into the one command line SSH carries (an SSH exec request is a single
 * string the remote login shell parses). Pure. Every element is POSIX single-quoted
 * ({@link ShellQuote}): inside single quotes nothing is special except the quote itself,
 * written {@code '\''}, so {@code ;}, {@code $()}, backticks, spaces and newlines stay
 * literal and the remote program receives exactly {@code argv}.
 */
public final class CommandLine {

	private CommandLine() {
	}

	public static String of(List<String> argv) {
		if (argv == null || argv.isEmpty()) {
			throw new IllegalArgumentException("an empty command");
		}
		return argv.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
	}

}
