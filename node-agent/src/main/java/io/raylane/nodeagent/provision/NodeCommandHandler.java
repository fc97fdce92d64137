package io.raylane.nodeagent.provision;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.raylane.nodeagent.ssh.CommandResult;
import io.raylane.nodeagent.ssh.RemoteCommand;
import io.raylane.nodeagent.ssh.RemoteShell;
import io.raylane.nodeagent.ssh.ShellException;
import io.raylane.topics.events.Decommissioned;
import io.raylane.topics.events.NodeCommand;
import io.raylane.topics.events.NodeEvent;
import io.raylane.topics.events.ProvisionFailed;
import io.raylane.topics.events.ProvisionNode;
import io.raylane.topics.events.Provisioned;
import io.raylane.topics.job.FieldError;
import io.raylane.topics.node.NodeSpec;
import io.raylane.topics.node.NodeSpecValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryOperations;
import org.springframework.core.retry.Retryable;

/**
 * Carries out one node command over the {@link RemoteShell} and says what happened as the
 * event for {@code raylane.node-events}: {@code ProvisionNode} → {@code ray start} →
 * {@link Provisioned} or {@link ProvisionFailed}; {@code DrainNode} /
 * {@code DecommissionNode} → {@code ray stop}, then {@code ray stop --force} if that did
 * not work → {@link Decommissioned}. Unreachable hosts are retried by the injected
 * policy; a spec that fails validation never reaches SSH.
 */
public class NodeCommandHandler {

	private static final Logger log = LoggerFactory.getLogger(NodeCommandHandler.class);

	private final RemoteShell shell;

	private final RayCommands ray;

	private final RetryOperations retry;

	private final Duration stopGrace;

	private final Clock clock;

	public NodeCommandHandler(RemoteShell shell, RayCommands ray, RetryOperations retry, Duration stopGrace,
			Clock clock) {
		this.shell = shell;
		this.ray = ray;
		this.retry = retry;
		this.stopGrace = stopGrace;
		this.clock = clock;
	}

	public NodeEvent handle(NodeCommand command) {
		if (command instanceof ProvisionNode provision) {
			return provision(provision);
		}
		// DrainNode and DecommissionNode both stop Ray; the scheduler tells them apart
		return stop(command);
	}

	private NodeEvent provision(ProvisionNode command) {
		NodeSpec spec = command.spec();
		String invalid = invalid(spec);
		if (invalid != null) {
			return new ProvisionFailed(0, command.nodeId(), command.pool(), (spec != null) ? spec.host() : null,
					invalid, null, "", "", 0, this.clock.instant());
		}
		AtomicInteger attempts = new AtomicInteger();
		try {
			CommandResult result = runRetrying("ray start on " + command.nodeId(), spec,
					this.ray.remote(this.ray.start(spec)), attempts);
			if (result.succeeded()) {
				return new Provisioned(0, command.nodeId(), command.pool(), spec.host(), result.exitCode(),
						result.stdoutTail(), result.stderrTail(), attempts.get(), this.clock.instant());
			}
			return new ProvisionFailed(0, command.nodeId(), command.pool(), spec.host(),
					"ray start exited " + result.exitCode(), result.exitCode(), result.stdoutTail(),
					result.stderrTail(), attempts.get(), this.clock.instant());
		}
		catch (ShellException ex) {
			return new ProvisionFailed(0, command.nodeId(), command.pool(), spec.host(), reason(ex, attempts.get()),
					null, "", "", attempts.get(), this.clock.instant());
		}
	}

	private NodeEvent stop(NodeCommand command) {
		NodeSpec spec = command.spec();
		String invalid = invalid(spec);
		if (invalid != null) {
			return new Decommissioned(0, command.nodeId(), command.pool(), (spec != null) ? spec.host() : null, false,
					false, null, "", "", invalid, this.clock.instant());
		}
		AtomicInteger attempts = new AtomicInteger();
		CommandResult graceful = null;
		String failure = null;
		try {
			graceful = runRetrying("ray stop on " + command.nodeId(), spec,
					this.ray.remote(this.ray.stop(this.stopGrace)), attempts);
			if (graceful.succeeded()) {
				return decommissioned(command, true, false, graceful, null);
			}
			failure = "ray stop exited " + graceful.exitCode();
		}
		catch (ShellException ex) {
			if (ex.transientFailure()) {
				// the node cannot be reached at all: --force would not reach it either
				return decommissioned(command, false, false, null, reason(ex, attempts.get()));
			}
			failure = ex.getMessage();
		}
		log.warn("{}: {}; forcing", command.nodeId(), failure);
		try {
			CommandResult forced = this.shell.run(spec, this.ray.remote(this.ray.forceStop()));
			return decommissioned(command, forced.succeeded(), true, forced,
					forced.succeeded() ? null : failure + "; ray stop --force exited " + forced.exitCode());
		}
		catch (ShellException ex) {
			return decommissioned(command, false, true, graceful, failure + "; ray stop --force: " + ex.getMessage());
		}
	}

	private Decommissioned decommissioned(NodeCommand command, boolean stopped, boolean forced, CommandResult result,
			String reason) {
		return new Decommissioned(0, command.nodeId(), command.pool(), command.spec().host(), stopped, forced,
				(result != null) ? result.exitCode() : null, (result != null) ? result.stdoutTail() : "",
				(result != null) ? result.stderrTail() : "", reason, this.clock.instant());
	}

	/**
	 * Runs the command; transient failures (unreachable host) are retried by the policy.
	 */
	private CommandResult runRetrying(String what, NodeSpec spec, RemoteCommand command, AtomicInteger attempts) {
		try {
			return this.retry.execute(new Retryable<CommandResult>() {
				@Override
				public CommandResult execute() {
					attempts.incrementAndGet();
					return NodeCommandHandler.this.shell.run(spec, command);
				}

				@Override
				public String getName() {
					return what;
				}
			});
		}
		catch (RetryException ex) {
			Throwable last = (ex.getCause() != null) ? ex.getCause() : ex;
			if (last instanceof ShellException shell) {
				throw shell;
			}
			throw new ShellException(what + " failed: " + last.getMessage(), false, last);
		}
	}

	private static String reason(ShellException ex, int attempts) {
		return ex.transientFailure() ? "unreachable after " + attempts + " attempt(s): " + ex.getMessage()
				: ex.getMessage();
	}

	private static String invalid(NodeSpec spec) {
		List<FieldError> errors = NodeSpecValidator.validate(spec);
		if (errors.isEmpty()) {
			return null;
		}
		return "invalid NodeSpec, nothing was run: "
				+ errors.stream().map((e) -> e.field() + " " + e.message()).collect(Collectors.joining("; "));
	}

}
