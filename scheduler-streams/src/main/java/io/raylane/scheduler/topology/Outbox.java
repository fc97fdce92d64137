package io.raylane.scheduler.topology;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.events.DispatchCommand;
import io.raylane.topics.events.NodeCommand;
import io.raylane.topics.job.JobView;
import io.raylane.topics.node.NodeView;

/**
 * What handling one input record produced, forwarded by {@link PoolProcessor} once the
 * record is handled. Views are coalesced per key: a job queued and dispatched by the same
 * record is published once, DISPATCHED.
 */
final class Outbox {

	private final Map<String, JobView> jobStates = new LinkedHashMap<>();

	private final Map<String, NodeView> nodeStates = new LinkedHashMap<>();

	private final List<DispatchCommand> commands = new ArrayList<>();

	private final Map<String, DeadLetter> deadLetters = new LinkedHashMap<>();

	private final Map<String, UsageCount> usage = new LinkedHashMap<>();

	private final List<NodeCommand> nodeCommands = new ArrayList<>();

	void job(JobView view) {
		this.jobStates.put(view.jobId(), view);
	}

	void node(NodeView view) {
		this.nodeStates.put(view.nodeId(), view);
	}

	void command(DispatchCommand command) {
		this.commands.add(command);
	}

	void usage(UsageCount count) {
		this.usage.put(count.key(), count);
	}

	void nodeCommand(NodeCommand command) {
		this.nodeCommands.add(command);
	}

	void deadLetter(String key, DeadLetter letter) {
		this.deadLetters.put(key, letter);
	}

	/**
	 * Whether someone waits for these outputs: a command to the submitter (a job to
	 * submit or stop) or a job's end (its GPUs are free for the next one).
	 */
	boolean urgent() {
		return !this.commands.isEmpty()
				|| this.jobStates.values().stream().anyMatch((view) -> view.status().isTerminal());
	}

	/**
	 * Every output as (key, value): job views, node views, dispatch commands, dead
	 * letters, usage counts, node commands.
	 */
	void forEach(BiConsumer<String, Object> sink) {
		this.jobStates.forEach(sink);
		this.nodeStates.forEach(sink);
		this.commands.forEach((command) -> sink.accept(command.jobId(), command));
		this.deadLetters.forEach(sink);
		this.usage.forEach(sink);
		this.nodeCommands.forEach((command) -> sink.accept(command.nodeId(), command));
	}

}
