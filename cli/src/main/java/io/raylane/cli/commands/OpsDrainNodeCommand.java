package io.raylane.cli.commands;

import java.nio.charset.StandardCharsets;

import io.raylane.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code raylane ops drain-node NODE [--deadline INSTANT | --timeout DURATION] [--reason
 * TEXT] [--dry-run]}: {@code POST /v1/ops/drain_node}; prints the node's plan, one line
 * per job with what the deadline does to it.
 */
@Command(name = "drain-node",
		description = "Drain a node: no new jobs; at the deadline the jobs still running are stopped with the reason.")
public class OpsDrainNodeCommand extends ApiCommand {

	@Parameters(index = "0", paramLabel = "NODE", description = "the node id")
	String node;

	@Option(names = "--deadline", paramLabel = "INSTANT", description = "stop the jobs still running at this "
			+ "ISO-8601 instant (the same deadline again is no second drain)")
	String deadline;

	@Option(names = "--timeout", paramLabel = "DURATION", description = "or stop them after this long, e.g. 2h")
	String timeout;

	@Option(names = "--reason", paramLabel = "TEXT", description = "why; shown on the node and in each stopped job")
	String reason;

	@Option(names = "--dry-run", description = "say what would happen, change nothing")
	boolean dryRun;

	@Override
	public Integer call() {
		ObjectNode body = JSON.createObjectNode().put("node_id", this.node);
		if (this.deadline != null) {
			body.put("deadline", this.deadline);
		}
		if (this.timeout != null) {
			body.put("timeout", this.timeout);
		}
		if (this.reason != null) {
			body.put("reason", this.reason);
		}
		if (this.dryRun) {
			body.put("dry_run", true);
		}
		String answer = api().post("/v1/ops/drain_node", "application/json",
				body.toString().getBytes(StandardCharsets.UTF_8));
		if (json()) {
			printJson(answer);
			return ExitCodes.OK;
		}
		JsonNode plan = parse(answer);
		String what = plan.path("dry_run").asBoolean() ? "would drain"
				: (plan.path("changed").asBoolean() ? "draining" : "already draining so");
		JsonNode deadlineNode = plan.path("deadline");
		out().println(plan.path("node_id").asString() + ": " + what + " (state " + plan.path("state").asString() + "), "
				+ (deadlineNode.isNull() || deadlineNode.isMissingNode() ? "waiting for its jobs"
						: "jobs still running are stopped at " + deadlineNode.asString()));
		for (JsonNode job : plan.path("jobs")) {
			out().println(OpsCommand.jobLine(job));
		}
		return ExitCodes.OK;
	}

}
