package io.raylane.cli.commands;

import io.raylane.cli.ExitCodes;
import picocli.CommandLine.Command;

/**
 * {@code raylane ops}: the operations API ({@code /v1/ops/*}, admins, issue 16), one
 * subcommand per operation: {@code cleanup} ({@link OpsCleanupCommand}).
 */
@Command(name = "ops", description = "Operations for admins: clean up finished jobs' artifacts.",
		subcommands = { OpsCleanupCommand.class })
public class OpsCommand extends ApiCommand {

	@Override
	public Integer call() {
		// a parent alone does nothing: show its subcommands, as for a bad command line
		this.spec.commandLine().usage(context().err());
		return ExitCodes.USAGE;
	}

}
