package io.raylane.cli.commands;

import java.nio.charset.StandardCharsets;

import io.raylane.cli.ExitCodes;
import io.raylane.cli.http.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code raylane ops restart-ray-head [--force] [--dry-run]}:
 * {@code POST /v1/ops/restart_ray_head}, then, unless {@code --no-wait}, follows
 * {@code GET /v1/ops/operations/{id}} until the node-agent reported; prints what happens
 * to each job and each worker.
 */
@Command(name = "restart-ray-head",
		description = "Restart the Ray head over SSH and re-provision the workers; refused while jobs run unless --force.")
public class OpsRestartRayHeadCommand extends ApiCommand {

	@Option(names = "--force", description = "end the jobs Ray runs (with the restart as their reason)")
	boolean force;

	@Option(names = "--dry-run", description = "say what would happen, change nothing")
	boolean dryRun;

	@Option(names = "--no-wait", description = "answer at once with the operation id")
	boolean noWait;

	@Option(names = "--poll", paramLabel = "SECONDS",
			description = "seconds between looks at the operation " + "(default 5)")
	int pollSeconds = 5;

	@Override
	public Integer call() throws InterruptedException {
		ObjectNode body = JSON.createObjectNode();
		if (this.force) {
			body.put("force", true);
		}
		if (this.dryRun) {
			body.put("dry_run", true);
		}
		String answer = api().post("/v1/ops/restart_ray_head", "application/json",
				body.toString().getBytes(StandardCharsets.UTF_8));
		JsonNode operation = parse(answer);
		String id = operation.path("operation_id").asString(null);
		while (!this.dryRun && !this.noWait && id != null && "running".equals(operation.path("status").asString())) {
			Thread.sleep(Math.max(1, this.pollSeconds) * 1000L);
			answer = api().get("/v1/ops/operations/" + ApiClient.segment(id));
			operation = parse(answer);
		}
		if (json()) {
			printJson(answer);
		}
		else {
			print(operation);
		}
		return "failed".equals(operation.path("status").asString()) ? ExitCodes.JOB_NOT_SUCCEEDED : ExitCodes.OK;
	}

	private void print(JsonNode operation) {
		String id = operation.path("operation_id").asString(null);
		out().println("head " + operation.path("head_node_id").asString() + ": " + operation.path("status").asString()
				+ ((id != null) ? " (operation " + id + ")" : "")
				+ (operation.path("reason").isString() ? ": " + operation.path("reason").asString() : ""));
		for (JsonNode job : operation.path("jobs")) {
			out().println(OpsCommand.jobLine(job));
		}
		for (JsonNode worker : operation.path("workers")) {
			JsonNode started = worker.path("started");
			out().println("  worker " + worker.path("node_id").asString() + "  " + worker.path("action").asString()
					+ (started.isBoolean()
							? (started.asBoolean() ? "  joined" : "  not joined: " + worker.path("reason").asString())
							: ""));
		}
	}

}
