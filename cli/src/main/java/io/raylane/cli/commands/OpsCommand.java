package io.raylane.cli.commands;

import io.raylane.cli.ExitCodes;
import picocli.CommandLine.Command;

/**
 * {@code raylane ops}: the operations API ({@code /v1/ops/*}, admins, issue 16), one
 * subcommand per operation: {@code drain-node} ({@link OpsDrainNodeCommand}),
 * {@code restart-ray-head} ({@link OpsRestartRayHeadCommand}) and {@code cleanup}
 * ({@link OpsCleanupCommand}).
 */
@Command(name = "ops",
		description = "Operator actions (admins): drain a node with a deadline, restart the Ray head, "
				+ "clean up finished jobs' artifacts.",
		subcommands = { OpsDrainNodeCommand.class, OpsRestartRayHeadCommand.class, OpsCleanupCommand.class })
public class OpsCommand extends ApiCommand {

	@Override
	public Integer call() {
		// a parent alone does nothing: show its subcommands, as for a bad command line
		this.spec.commandLine().usage(context().err());
		return ExitCodes.USAGE;
	}

	/** One job line of an ops answer: {@code  job  user  status  action}. */
	static String jobLine(tools.jackson.databind.JsonNode job) {
		return "  " + job.path("job_id").asString() + "  " + job.path("user").asString("-") + "  "
				+ job.path("status").asString("-") + "  " + job.path("action").asString();
	}

}
