package io.raylane.cli.commands;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.raylane.cli.ExitCodes;
import io.raylane.cli.http.ApiClient;
import io.raylane.cli.render.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code raylane nodes}: the fleet ({@code GET /v1/nodes}, admins) and its admin actions,
 * one per route of the nodes API: {@code add} ({@code POST /v1/nodes}), {@code show},
 * {@code drain}, {@code undrain}, {@code decommission} ({@code DELETE}).
 */
@Command(name = "nodes", description = "The worker nodes and their states (admins); add, drain, undrain, decommission.",
		subcommands = { NodesCommand.Show.class, NodesCommand.Add.class, NodesCommand.Drain.class,
				NodesCommand.Undrain.class, NodesCommand.Decommission.class })
public class NodesCommand extends ApiCommand {

	@Option(names = "--pool", paramLabel = "POOL", description = "only this pool's nodes")
	String pool;

	@Override
	public Integer call() {
		JsonNode answer = Paging.all(api(), "/v1/nodes", ApiClient.parameters("pool", this.pool, "limit", 1000),
				"nodes");
		if (json()) {
			printJson(answer.toString());
		}
		else {
			out().print(Views.nodes(answer.path("nodes")));
		}
		return ExitCodes.OK;
	}

	/** Prints a node action's acknowledgement: {@code node: requested (state now)}. */
	static void ack(ApiCommand command, String answer) {
		if (command.json()) {
			command.printJson(answer);
			return;
		}
		JsonNode ack = parse(answer);
		command.out()
			.println(ack.path("node_id").asString() + ": " + ack.path("requested").asString() + " requested (state "
					+ ack.path("state").asString() + ")");
	}

	@Command(name = "show", description = "One node: host, pool, state and why, GPUs, jobs.")
	static class Show extends ApiCommand {

		@Parameters(index = "0", paramLabel = "NODE", description = "the node id")
		String node;

		@Override
		public Integer call() {
			String answer = api().get("/v1/nodes/" + ApiClient.segment(this.node));
			if (json()) {
				printJson(answer);
			}
			else {
				out().print(Views.node(parse(answer)));
			}
			return ExitCodes.OK;
		}

	}

	@Command(name = "add", description = "Register a worker container: the node-agent runs ray start on it over SSH "
			+ "(docs/sop/node-onboarding.md).")
	static class Add extends ApiCommand {

		@Parameters(index = "0", paramLabel = "NODE", description = "the node id (lower case, digits, hyphens)")
		String node;

		@Option(names = "--host", required = true, description = "hostname or IP to SSH to")
		String host;

		@Option(names = "--port", description = "SSH port (default 22)")
		Integer port;

		@Option(names = "--user", description = "SSH user")
		String user;

		@Option(names = "--pool", description = "the node's pool (default: default)")
		String pool;

		@Option(names = "--gpus", description = "GPUs the node offers")
		Integer gpus;

		@Option(names = "--label", paramLabel = "KEY=VALUE", description = "a Ray node label (repeatable)")
		Map<String, String> labels = new LinkedHashMap<>();

		@Option(names = "--ssh-key", paramLabel = "NAME",
				description = "a key file's name in the node-agent's key directory")
		String sshKey;

		@Option(names = "--role", paramLabel = "ROLE",
				description = "worker (default) or head: the node that runs the Ray head (ray start --head)")
		String role;

		@Option(names = "--env", paramLabel = "NAME=VALUE",
				description = "an environment variable of ray start on this node, e.g. NCCL_SOCKET_IFNAME=ens1f0 "
						+ "(repeatable)")
		Map<String, String> env = new LinkedHashMap<>();

		@Override
		public Integer call() {
			ObjectNode spec = JSON.createObjectNode().put("node_id", this.node).put("host", this.host);
			if (this.port != null) {
				spec.put("port", this.port);
			}
			putIfSet(spec, "user", this.user);
			putIfSet(spec, "pool", this.pool);
			if (this.gpus != null) {
				spec.put("gpus", this.gpus);
			}
			if (!this.labels.isEmpty()) {
				ObjectNode labels = spec.putObject("labels");
				this.labels.forEach(labels::put);
			}
			putIfSet(spec, "ssh_key", this.sshKey);
			putIfSet(spec, "role", this.role);
			if (!this.env.isEmpty()) {
				ObjectNode env = spec.putObject("env");
				this.env.forEach(env::put);
			}
			ack(this, api().post("/v1/nodes", "application/json", spec.toString().getBytes(StandardCharsets.UTF_8)));
			return ExitCodes.OK;
		}

		private static void putIfSet(ObjectNode spec, String field, String value) {
			if (value != null) {
				spec.put(field, value);
			}
		}

	}

	@Command(name = "drain",
			description = "Take no new jobs on a node; it goes offline once its jobs ended " + "(or at the deadline).")
	static class Drain extends ApiCommand {

		@Parameters(index = "0", paramLabel = "NODE", description = "the node id")
		String node;

		@Option(names = "--timeout", paramLabel = "DURATION", description = "stop waiting for its jobs after, e.g. 2h")
		String timeout;

		@Option(names = "--deadline", paramLabel = "INSTANT", description = "stop waiting at this ISO-8601 instant")
		String deadline;

		@Override
		public Integer call() {
			ObjectNode body = JSON.createObjectNode();
			if (this.timeout != null) {
				body.put("timeout", this.timeout);
			}
			if (this.deadline != null) {
				body.put("deadline", this.deadline);
			}
			ack(this, api().post("/v1/nodes/" + ApiClient.segment(this.node) + ":drain", "application/json",
					body.toString().getBytes(StandardCharsets.UTF_8)));
			return ExitCodes.OK;
		}

	}

	@Command(name = "undrain",
			description = "Let a draining node take work again (an offline or failed one is " + "provisioned again).")
	static class Undrain extends ApiCommand {

		@Parameters(index = "0", paramLabel = "NODE", description = "the node id")
		String node;

		@Override
		public Integer call() {
			ack(this, api().post("/v1/nodes/" + ApiClient.segment(this.node) + ":undrain", null, new byte[0]));
			return ExitCodes.OK;
		}

	}

	@Command(name = "decommission", description = "Drain a node, ray stop it, and take it out (OFFLINE).")
	static class Decommission extends ApiCommand {

		@Parameters(index = "0", paramLabel = "NODE", description = "the node id")
		String node;

		@Override
		public Integer call() {
			ack(this, api().delete("/v1/nodes/" + ApiClient.segment(this.node)));
			return ExitCodes.OK;
		}

	}

}
