package io.raylane.cli.commands;

import picocli.CommandLine.Command;

/**
 * {@code raylane ops}: the operations API for operators ({@code /v1/ops}, admins; issue
 * 16), one subcommand per operation.
 */
@Command(name = "ops", description = "Operator actions (admins): drain a node with a deadline, restart the Ray head.",
		subcommands = { OpsDrainNodeCommand.class, OpsRestartRayHeadCommand.class })
public class OpsCommand extends ApiCommand {

	@Override
	public Integer call() {
		this.spec.commandLine().usage(out());
		return io.raylane.cli.ExitCodes.OK;
	}

	/** One job line of an ops answer: {@code  job  user  status  action}. */
	static String jobLine(tools.jackson.databind.JsonNode job) {
		return "  " + job.path("job_id").asString() + "  " + job.path("user").asString("-") + "  "
				+ job.path("status").asString("-") + "  " + job.path("action").asString();
	}

}
