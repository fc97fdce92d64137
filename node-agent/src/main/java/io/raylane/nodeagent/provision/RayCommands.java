package io.raylane.nodeagent.provision;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.raylane.nodeagent.ssh.RemoteCommand;
import io.raylane.rayclient.wire.RayContract;
import io.raylane.topics.node.NodeSpec;

/**
 * The argv of {@code ray start}, {@code ray drain-node} and {@code ray stop} for a node
 * (docs/reference/ray-http.md §8), and the {@link RemoteCommand} that runs one with the
 * cluster's token (if any). Pure: values from the NodeSpec become whole arguments, and
 * {@code CommandLine} quotes every argument ({@code ShellQuote}) before it reaches a
 * shell.
 *
 * @param ray the command that runs Ray's CLI on the node, e.g. {@code [ray]} or
 * {@code [/opt/venv/bin/ray]}
 * @param headAddress the {@code host:port} {@code ray start --address} joins
 * (RAYLANE_RAY_HEAD_ADDRESS)
 * @param poolArgs extra {@code ray start} arguments per pool (e.g. pinned ports,
 * {@code --disable-usage-stats})
 * @param metricsPort every node's {@code --metrics-export-port}, the port the observer
 * scrapes (RAYLANE_RAY_METRICS_PORT)
 * @param authToken the cluster's token when Ray runs with token authentication
 * (RAYLANE_RAY_AUTH_TOKEN / RAYLANE_RAY_AUTH_TOKEN_FILE), else null; {@link #remote}
 * hands it to every {@code ray} command through stdin
 */
public record RayCommands(List<String> ray, String headAddress, Map<String, List<String>> poolArgs, int metricsPort,
		String authToken) {

	/** Ray's default GCS port, used when only the dashboard address is configured. */
	static final int DEFAULT_GCS_PORT = 6379;

	/**
	 * The drain reason Ray accepts on a busy node:
	 * {@code DRAIN_NODE_REASON_IDLE_TERMINATION} is refused while anything runs there
	 * (ray-cluster/FINDINGS.md §4).
	 */
	static final String DRAIN_REASON = "DRAIN_NODE_REASON_PREEMPTION";

	/**
	 * The POSIX sh program that puts the token (first line of stdin) into the environment
	 * of the {@code ray} command it then becomes: {@code RAY_AUTH_MODE=token} and
	 * {@code RAY_AUTH_TOKEN}, which Ray reads first (docs/reference/ray-http.md §11).
	 * Every Ray process the command starts (raylet, agents, job drivers) inherits them,
	 * as they would {@code RAY_AUTH_TOKEN_PATH}. No single quote in it, so its quoted
	 * form stays readable in logs.
	 */
	static final String WITH_TOKEN_FROM_STDIN = "IFS= read -r RAY_AUTH_TOKEN"
			+ " || { echo raylane: no Ray token on stdin >&2; exit 2; };"
			+ " RAY_AUTH_MODE=token; export RAY_AUTH_MODE RAY_AUTH_TOKEN; exec \"$@\"";

	/** {@code $0} of that program, as {@code ps} shows it on the node. */
	static final String WRAPPER_NAME = "raylane-ray-auth";

	/**
	 * The POSIX sh program that exports the node's own environment (NodeSpec {@code env},
	 * issue 16), one {@code NAME=value} line of stdin each up to an empty line, then
	 * becomes the command it is given. {@code export "$kv"} takes the line as one word:
	 * the value is never expanded again, so no character in it reaches the shell as
	 * syntax; the validator allows only {@code [A-Z_][A-Z0-9_]*} names and single-line
	 * values. The values stay off the command line, so no log shows them.
	 */
	static final String WITH_ENV_FROM_STDIN = "while IFS= read -r kv && [ -n \"$kv\" ]; do export \"$kv\"; done;"
			+ " exec \"$@\"";

	/** {@code $0} of that program. */
	static final String ENV_WRAPPER_NAME = "raylane-ray-env";

	public RayCommands {
		ray = List.copyOf(ray);
		poolArgs = (poolArgs != null) ? Map.copyOf(poolArgs) : Map.of();
		authToken = (authToken != null && !authToken.isBlank()) ? authToken.strip() : null;
	}

	/** Commands for a Ray cluster without token authentication. */
	public RayCommands(List<String> ray, String headAddress, Map<String, List<String>> poolArgs, int metricsPort) {
		this(ray, headAddress, poolArgs, metricsPort, null);
	}

	/**
	 * What runs on the node for a {@code ray} argv: the argv itself, or, with token
	 * authentication, {@code sh -c '<WITH_TOKEN_FROM_STDIN>' raylane-ray-auth <argv...>}
	 * with the token as the secret on stdin. The token is never part of the command line
	 * (which is logged and may be quoted in a node event), nor of {@code ps} on the node.
	 * Every {@code ray} command gets it: {@code ray start} needs it to join, and the
	 * others ignore it.
	 */
	public RemoteCommand remote(List<String> rayArgv) {
		if (this.authToken == null) {
			return RemoteCommand.of(rayArgv);
		}
		List<String> argv = new ArrayList<>(List.of("sh", "-c", WITH_TOKEN_FROM_STDIN, WRAPPER_NAME));
		argv.addAll(rayArgv);
		return new RemoteCommand(argv, this.authToken + "\n");
	}

	/**
	 * {@link #remote(List)} with the node's own environment: the env wrapper first (it
	 * reads its lines up to the empty one), then, with token authentication, the token
	 * wrapper, which reads the next line.
	 */
	public RemoteCommand remote(List<String> rayArgv, Map<String, String> env) {
		if (env == null || env.isEmpty()) {
			return remote(rayArgv);
		}
		RemoteCommand inner = remote(rayArgv);
		List<String> argv = new ArrayList<>(List.of("sh", "-c", WITH_ENV_FROM_STDIN, ENV_WRAPPER_NAME));
		argv.addAll(inner.argv());
		StringBuilder stdin = new StringBuilder();
		new TreeMap<>(env).forEach((name, value) -> stdin.append(name).append('=').append(value).append('\n'));
		stdin.append('\n');
		if (inner.hasSecret()) {
			stdin.append(inner.secretStdin());
		}
		return new RemoteCommand(argv, stdin.toString());
	}

	/** Without the token. */
	@Override
	public String toString() {
		return "RayCommands[ray=" + this.ray + ", headAddress=" + this.headAddress + ", poolArgs=" + this.poolArgs
				+ ", metricsPort=" + this.metricsPort + ", authToken=" + ((this.authToken != null) ? "***" : "null")
				+ "]";
	}

	/**
	 * The head address {@code ray start} joins: the configured one, else the host of the
	 * dashboard address (RAYLANE_RAY_ADDRESS) with Ray's GCS port 6379.
	 */
	public static String headAddress(String configured, String rayAddress) {
		if (configured != null && !configured.isBlank()) {
			return configured.trim();
		}
		String host = URI.create(rayAddress.trim()).getHost();
		if (host == null) {
			throw new IllegalArgumentException("cannot take a host from the Ray address " + rayAddress);
		}
		return host + ":" + DEFAULT_GCS_PORT;
	}

	/** The node label naming the Raylane node id (docs/scheduling.md). */
	public static final String NODE_LABEL = "raylane.io/node";

	/** The node label naming the node's pool. */
	public static final String POOL_LABEL = "raylane.io/pool";

	/**
	 * {@code ray start --address=<head> --num-gpus=<gpus>
	 * --resources={"raylane-pool-<pool>": 1000} --node-ip-address=<ip>
	 * --metrics-export-port=<port>
	 * --labels=k=v,...,raylane.io/node=<id>,raylane.io/pool=<pool> [pool args]}. The
	 * node's address is an {@link InetAddress} the caller resolved from the spec's host,
	 * so Ray always gets an IP literal (a host name there is advertised as is, and other
	 * nodes may resolve it differently or not at all). The labels, in key order, are the
	 * spec's own and Raylane's two, which win on a shared key: the submitter's label
	 * selector keeps a job's GPU work on the nodes they name (Ray 2.60's
	 * {@code ray start --labels "k1=v1,k2=v2"}, ray/scripts/scripts.py {@code start}).
	 */
	public List<String> start(NodeSpec spec, InetAddress nodeIp) {
		List<String> argv = new ArrayList<>(this.ray);
		argv.add("start");
		argv.add("--address=" + this.headAddress);
		argv.add("--num-gpus=" + spec.gpusOrZero());
		argv.add("--resources={\"" + RayContract.poolResource(spec.poolOrDefault()) + "\": "
				+ RayContract.POOL_RESOURCE_UNITS + "}");
		argv.add("--node-ip-address=" + nodeIp.getHostAddress());
		argv.add("--metrics-export-port=" + this.metricsPort);
		argv.add("--labels=" + labels(spec).entrySet()
			.stream()
			.map((e) -> e.getKey() + "=" + e.getValue())
			.collect(Collectors.joining(",")));
		argv.addAll(this.poolArgs.getOrDefault(spec.poolOrDefault(), List.of()));
		return argv;
	}

	/** The node's Ray labels: the spec's, then Raylane's node id and pool. Pure. */
	static Map<String, String> labels(NodeSpec spec) {
		Map<String, String> labels = new TreeMap<>(spec.labels());
		labels.put(NODE_LABEL, spec.nodeId());
		labels.put(POOL_LABEL, spec.poolOrDefault());
		return labels;
	}

	/**
	 * {@code ray start --head --node-ip-address=<ip> --port=<GCS port> --num-cpus=0
	 * --num-gpus=0 --include-dashboard=true --dashboard-host=<ip>
	 * --metrics-export-port=<port> [pool args]} for the node of role head (docs/deploy.md
	 * §3): the GCS port is the one the workers join ({@code headAddress}), and the head
	 * runs no work. The head's pool args add the pinned ports of the deploy guide.
	 */
	public List<String> startHead(NodeSpec spec, InetAddress nodeIp) {
		List<String> argv = new ArrayList<>(this.ray);
		argv.add("start");
		argv.add("--head");
		argv.add("--node-ip-address=" + nodeIp.getHostAddress());
		argv.add("--port=" + gcsPort());
		argv.add("--num-cpus=0");
		argv.add("--num-gpus=0");
		argv.add("--include-dashboard=true");
		argv.add("--dashboard-host=" + nodeIp.getHostAddress());
		argv.add("--metrics-export-port=" + this.metricsPort);
		argv.addAll(this.poolArgs.getOrDefault(spec.poolOrDefault(), List.of()));
		return argv;
	}

	/** The port of {@code headAddress} ({@code host:port}), else Ray's default. */
	int gcsPort() {
		int colon = this.headAddress.lastIndexOf(':');
		if (colon < 0) {
			return DEFAULT_GCS_PORT;
		}
		try {
			return Integer.parseInt(this.headAddress.substring(colon + 1));
		}
		catch (NumberFormatException ex) {
			return DEFAULT_GCS_PORT;
		}
	}

	/** {@link #start} or {@link #startHead}, by the node's role. */
	public List<String> startByRole(NodeSpec spec, InetAddress nodeIp) {
		return spec.isHead() ? startHead(spec, nodeIp) : start(spec, nodeIp);
	}

	/**
	 * {@code ray drain-node --address=<head> --node-id=<hex>
	 * --reason=DRAIN_NODE_REASON_PREEMPTION --reason-message=<message>
	 * [--deadline-remaining-seconds=<s>]}: the GCS stops placing work on the node; once
	 * it is idle its raylet exits by itself (Ray 2.60, hidden CLI command).
	 * @param remaining time left until the drain deadline, null for none
	 */
	public List<String> drainNode(String rayNodeId, String message, Duration remaining) {
		List<String> argv = new ArrayList<>(this.ray);
		argv.add("drain-node");
		argv.add("--address=" + this.headAddress);
		argv.add("--node-id=" + rayNodeId);
		argv.add("--reason=" + DRAIN_REASON);
		argv.add("--reason-message=" + message);
		if (remaining != null) {
			// whole seconds, rounded up: Ray takes an integer and 0 would mean "now"
			long seconds = Math.max(0, remaining.plusNanos(999_999_999).toSeconds());
			argv.add("--deadline-remaining-seconds=" + seconds);
		}
		return argv;
	}

	/**
	 * {@code ray stop --grace-period <s>}: SIGTERM, then SIGKILL for what survives the
	 * grace period.
	 */
	public List<String> stop(Duration grace) {
		List<String> argv = new ArrayList<>(this.ray);
		argv.add("stop");
		argv.add("--grace-period");
		argv.add(Long.toString(Math.max(0, grace.toSeconds())));
		return argv;
	}

	/** {@code ray stop --force}: SIGKILL at once. */
	public List<String> forceStop() {
		List<String> argv = new ArrayList<>(this.ray);
		argv.add("stop");
		argv.add("--force");
		return argv;
	}

}
