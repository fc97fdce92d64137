package io.raylane.nodeagent.ssh;

import java.util.List;

/**
 * A command for a worker node: its argv, which {@link CommandLine} quotes into the SSH
 * command line (logged, and quoted in failure reasons that reach
 * {@code raylane.node-events}), and, apart from it, a secret the command reads from its
 * standard input (e.g. the Ray cluster token). The secret never becomes part of the
 * command line, so no log line, record, {@code ps} listing or shell history on the node
 * shows it.
 *
 * @param argv the program and its arguments
 * @param secretStdin what is written to the command's stdin before it is closed; null =
 * nothing (stdin stays empty)
 */
public record RemoteCommand(List<String> argv, String secretStdin) {

	public RemoteCommand {
		argv = List.copyOf(argv);
	}

	/** A command without a secret. */
	public static RemoteCommand of(List<String> argv) {
		return new RemoteCommand(argv, null);
	}

	public boolean hasSecret() {
		return this.secretStdin != null;
	}

	/** The quoted command line: what may be logged. */
	public String commandLine() {
		return CommandLine.of(this.argv);
	}

	/** The command line and whether a secret goes to stdin, never the secret. */
	@Override
	public String toString() {
		return commandLine() + (hasSecret() ? " <secret on stdin>" : "");
	}

}
