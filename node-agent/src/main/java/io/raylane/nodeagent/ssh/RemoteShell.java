package io.raylane.nodeagent.ssh;

import java.util.List;

import io.raylane.topics.node.NodeSpec;

/**
 * Runs one command on a worker node. The port the provisioning logic depends on: the MINA
 * SSHD adapter in production, a recording fake in unit tests.
 */
public interface RemoteShell {

	/**
	 * Runs {@code argv} on {@code node} (each element quoted into one command line, so
	 * nothing in it is interpreted by the remote shell).
	 * @return the exit code and the tails of stdout and stderr
	 * @throws ShellException when the command could not be run or did not finish;
	 * {@link ShellException#transientFailure()} says whether trying again may help (the
	 * host was unreachable) or not (host key, authentication, timeout)
	 */
	default CommandResult run(NodeSpec node, List<String> argv) {
		return run(node, RemoteCommand.of(argv));
	}

	/**
	 * Runs {@code command} on {@code node}: its argv as {@link #run(NodeSpec, List)}
	 * does, with its secret (if any) written to the command's stdin, which is then
	 * closed. The secret is never logged nor part of the command line.
	 * @return the exit code and the tails of stdout and stderr
	 * @throws ShellException as {@link #run(NodeSpec, List)}
	 */
	CommandResult run(NodeSpec node, RemoteCommand command);

}
