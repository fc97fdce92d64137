package io.raylane.nodeagent.provision;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

import io.raylane.nodeagent.ssh.CommandResult;
import io.raylane.nodeagent.ssh.RemoteCommand;
import io.raylane.nodeagent.ssh.RemoteShell;
import io.raylane.topics.node.NodeSpec;

/**
 * A {@link RemoteShell} fake: records each command line and answers from a script
 * (default: exit 0).
 */
public class RecordingShell implements RemoteShell {

	private final List<String> commands = new ArrayList<>();

	private final Deque<Supplier<CommandResult>> answers = new ArrayDeque<>();

	private final List<String> stdins = new ArrayList<>();

	@Override
	public synchronized CommandResult run(NodeSpec node, RemoteCommand command) {
		this.commands.add(node.host() + ": " + command.commandLine());
		this.stdins.add(command.secretStdin());
		Supplier<CommandResult> answer = this.answers.poll();
		return (answer != null) ? answer.get() : new CommandResult(0, "ok", "");
	}

	public synchronized RecordingShell then(Supplier<CommandResult> answer) {
		this.answers.add(answer);
		return this;
	}

	public synchronized RecordingShell thenExit(int code, String out, String err) {
		return then(() -> new CommandResult(code, out, err));
	}

	public synchronized List<String> commands() {
		return List.copyOf(this.commands);
	}

	/** What each command got on stdin, in order (null = nothing). */
	public synchronized List<String> stdins() {
		return new ArrayList<>(this.stdins);
	}

}
