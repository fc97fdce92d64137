package io.raylane.nodeagent.provision;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.raylane.nodeagent.ssh.CommandResult;
import io.raylane.nodeagent.ssh.RemoteCommand;
import io.raylane.nodeagent.ssh.RemoteShell;
import io.raylane.nodeagent.ssh.ShellException;
import io.raylane.topics.events.Decommissioned;
import io.raylane.topics.events.DrainDelivered;
import io.raylane.topics.events.DrainOnRay;
import io.raylane.topics.events.NodeCommand;
import io.raylane.topics.events.NodeEvent;
import io.raylane.topics.events.ProvisionFailed;
import io.raylane.topics.events.ProvisionNode;
import io.raylane.topics.events.RestartRayHead;
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
 * event for {@code raylane.node-events}: {@code ProvisionNode} → the host resolved to its
 * IP once, {@code ray stop} (what Ray left there), {@code ray start} →
 * {@link Provisioned} or {@link ProvisionFailed}; {@link DrainOnRay} →
 * {@code ray drain-node} → {@link DrainDelivered}; {@code DrainNode} /
 * {@code DecommissionNode} → {@code ray stop}, then {@code ray stop --force} if that did
 * not work → {@link Decommissioned}; {@link RestartRayHead} → {@link RayHeadRestart}.
 * Unreachable hosts are retried by the injected policy; a spec that fails validation
 * never reaches SSH.
 */
public class NodeCommandHandler {

	private static final Logger log = LoggerFactory.getLogger(NodeCommandHandler.class);

	/** Ray's node ids are hex (56 digits in Ray 2.60). */
	private static final Pattern RAY_NODE_ID = Pattern.compile("[0-9a-f]{8,128}");

	private final RemoteShell shell;

	private final RayCommands ray;

	private final RetryOperations retry;

	private final Duration stopGrace;

	private final Clock clock;

	private final NodeAddress.Resolver resolver;

	public NodeCommandHandler(RemoteShell shell, RayCommands ray, RetryOperations retry, Duration stopGrace,
			Clock clock) {
		this(shell, ray, retry, stopGrace, clock, NodeAddress.Resolver.SYSTEM);
	}

	public NodeCommandHandler(RemoteShell shell, RayCommands ray, RetryOperations retry, Duration stopGrace,
			Clock clock, NodeAddress.Resolver resolver) {
		this.shell = shell;
		this.ray = ray;
		this.retry = retry;
		this.stopGrace = stopGrace;
		this.clock = clock;
		this.resolver = resolver;
	}

	public NodeEvent handle(NodeCommand command) {
		if (command instanceof ProvisionNode provision) {
			return provision(provision);
		}
		if (command instanceof DrainOnRay drain) {
			return drainOnRay(drain);
		}
		if (command instanceof RestartRayHead restart) {
			return new RayHeadRestart(this).restart(restart);
		}
		// DrainNode and DecommissionNode both stop Ray; the scheduler tells them apart
		return stop(command);
	}

	NodeEvent provision(ProvisionNode command) {
		NodeSpec spec = command.spec();
		String invalid = invalid(spec);
		if (invalid != null) {
			return new ProvisionFailed(0, command.nodeId(), command.pool(), (spec != null) ? spec.host() : null,
					invalid, null, "", "", 0, this.clock.instant());
		}
		InetAddress nodeIp;
		try {
			nodeIp = NodeAddress.of(spec.host(), this.resolver);
		}
		catch (UnknownHostException ex) {
			return new ProvisionFailed(0, command.nodeId(), command.pool(), spec.host(),
					ex.getMessage() + "; ray start needs it for --node-ip-address, nothing was run", null, "", "", 0,
					this.clock.instant());
		}
		AtomicInteger attempts = new AtomicInteger();
		try {
			// 1. whatever Ray runs there goes: the remains of a raylet that died, or our
			// own start if this command is redelivered (a second ray start would hang
			// and fail on the fixed metrics port)
			CommandResult stopped = runRetrying("ray stop on " + command.nodeId(), spec,
					this.ray.remote(this.ray.stop(this.stopGrace)), attempts);
			if (!stopped.succeeded()) {
				log.warn("{}: ray stop before ray start exited {}: {}", command.nodeId(), stopped.exitCode(),
						stopped.stderrTail());
			}
			// 2. ray start with the IP literal
			CommandResult result = runRetrying("ray start on " + command.nodeId(), spec,
					this.ray.remote(this.ray.startByRole(spec, nodeIp), spec.env()), attempts);
			if (result.succeeded()) {
				return new Provisioned(0, command.nodeId(), command.pool(), spec.host(), result.exitCode(),
						result.stdoutTail(), result.stderrTail(), attempts.get(), this.clock.instant());
			}
			return new ProvisionFailed(0, command.nodeId(), command.pool(), spec.host(),
					"ray start exited " + result.exitCode() + notFound(result.exitCode(), spec), result.exitCode(),
					result.stdoutTail(), result.stderrTail(), attempts.get(), this.clock.instant());
		}
		catch (ShellException ex) {
			return new ProvisionFailed(0, command.nodeId(), command.pool(), spec.host(), reason(ex, attempts.get()),
					null, "", "", attempts.get(), this.clock.instant());
		}
	}

	java.time.Instant now() {
		return this.clock.instant();
	}

	/**
	 * Tells Ray the node drains, from the node itself (it reaches the GCS: it joined it).
	 * The deadline goes to Ray as the seconds left from now.
	 */
	private NodeEvent drainOnRay(DrainOnRay command) {
		NodeSpec spec = command.spec();
		String invalid = invalid(spec);
		if (invalid == null && (command.rayNodeId() == null || !RAY_NODE_ID.matcher(command.rayNodeId()).matches())) {
			invalid = "no valid Ray node id (" + command.rayNodeId() + "), nothing was run";
		}
		if (invalid != null) {
			return drainDelivered(command, false, null, invalid);
		}
		Duration remaining = (command.deadline() != null) ? Duration.between(this.clock.instant(), command.deadline())
				: null;
		String message = (command.message() != null && !command.message().isBlank()) ? command.message()
				: "raylane: node " + command.nodeId() + " drains";
		AtomicInteger attempts = new AtomicInteger();
		try {
			CommandResult result = runRetrying("ray drain-node on " + command.nodeId(), spec,
					this.ray.remote(this.ray.drainNode(command.rayNodeId(), message, remaining)), attempts);
			return drainDelivered(command, result.succeeded(), result,
					result.succeeded() ? null : "ray drain-node exited " + result.exitCode() + lastLine(result));
		}
		catch (ShellException ex) {
			return drainDelivered(command, false, null, reason(ex, attempts.get()));
		}
	}

	private DrainDelivered drainDelivered(DrainOnRay command, boolean accepted, CommandResult result, String reason) {
		return new DrainDelivered(0, command.nodeId(), command.pool(),
				(command.spec() != null) ? command.spec().host() : null, command.rayNodeId(), accepted,
				(result != null) ? result.exitCode() : null, (result != null) ? result.stdoutTail() : "",
				(result != null) ? result.stderrTail() : "", reason, this.clock.instant());
	}

	/** Ray's one-line refusal ("Error: The drain request is not accepted: …"). */
	private static String lastLine(CommandResult result) {
		String err = result.stderrTail().strip();
		if (err.isEmpty()) {
			return "";
		}
		return ": " + err.substring(err.lastIndexOf('\n') + 1);
	}

	NodeEvent stop(NodeCommand command) {
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

	/**
	 * A shell's 127 (126) is its own "command not found" ("not executable"), not Ray's:
	 * say so, since the stderr tail alone ("ray: not found") is easy to miss.
	 */
	static String notFound(Integer exitCode, NodeSpec spec) {
		if (exitCode == null || (exitCode != 127 && exitCode != 126)) {
			return "";
		}
		return " (" + ((exitCode == 127) ? "command not found" : "command not executable") + " on " + spec.host()
				+ ": Ray's CLI must be on the PATH of " + spec.user()
				+ "'s non-interactive SSH sessions, or raylane.node-agent.ray-command must name it)";
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
