package io.raylane.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import io.raylane.cli.commands.CodeCommand;
import io.raylane.cli.commands.CompletionCommand;
import io.raylane.cli.commands.JobCommand;
import io.raylane.cli.commands.JobsCommand;
import io.raylane.cli.commands.LoginCommand;
import io.raylane.cli.commands.LogsCommand;
import io.raylane.cli.commands.NodesCommand;
import io.raylane.cli.commands.OpsCommand;
import io.raylane.cli.commands.QueueCommand;
import io.raylane.cli.commands.StopCommand;
import io.raylane.cli.commands.SubmitCommand;
import io.raylane.cli.commands.UsageCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code raylane}: the command line of the Raylane API (docs/cli.md). Every command is
 * one or a few HTTP calls to the API ({@code /v1/...}); errors end the command with one
 * line on stderr and an exit code of {@link ExitCodes}.
 */
@Command(name = "raylane", mixinStandardHelpOptions = true, version = "raylane 0.1.0",
		description = "Submit and watch jobs on a Raylane cluster (docs/cli.md).",
		subcommands = { LoginCommand.class, SubmitCommand.class, JobsCommand.class, JobCommand.class,
				QueueCommand.class, LogsCommand.class, StopCommand.class, UsageCommand.class, NodesCommand.class,
				OpsCommand.class, CodeCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class },
		exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { " 0:done (a followed job SUCCEEDED)", " 1:the followed job did not succeed",
				" 2:bad command line or unreadable file", " 3:the API refused the request (4xx)",
				" 4:the API is unreachable or failed (5xx)", " 5:not logged in", "70:a bug in the CLI" })
public final class RaylaneCli implements Callable<Integer> {

	private final Context context;

	@CommandLine.Spec
	private CommandLine.Model.CommandSpec spec;

	RaylaneCli(Context context) {
		this.context = context;
	}

	public Context context() {
		return this.context;
	}

	public static void main(String[] args) {
		PrintWriter out = new PrintWriter(System.out, true);
		PrintWriter err = new PrintWriter(System.err, true);
		Context context = new Context(System.getenv(), home(System.getenv()), out, err, System.console() != null);
		System.exit(run(args, context));
	}

	/**
	 * {@code ~}: $HOME as the shell knows it, else the JVM's {@code user.home} (which
	 * comes from the password database and ignores a changed HOME).
	 */
	static Path home(Map<String, String> env) {
		String home = env.get("HOME");
		return Path.of((home != null && !home.isBlank()) ? home : System.getProperty("user.home"));
	}

	/** Runs one command line and answers its exit code (never exits the JVM). */
	public static int run(String[] args, Context context) {
		CommandLine line = commandLine(context);
		int code = line.execute(args);
		context.out().flush();
		context.err().flush();
		return code;
	}

	/** The command tree with the CLI's error handling; also what completion describes. */
	public static CommandLine commandLine(Context context) {
		CommandLine line = new CommandLine(new RaylaneCli(context));
		line.setCaseInsensitiveEnumValuesAllowed(true);
		line.setOut(context.out());
		line.setErr(context.err());
		line.setExecutionExceptionHandler((ex, failed, parsed) -> {
			if (ex instanceof CliException known) {
				context.err().println("raylane: " + known.getMessage());
				return known.exitCode();
			}
			context.err().println("raylane: unexpected error: " + ex);
			return ExitCodes.INTERNAL;
		});
		line.setParameterExceptionHandler((ex, args) -> {
			// one line, naming what is wrong and where to read more (not the whole usage)
			String name = ex.getCommandLine().getCommandSpec().qualifiedName();
			context.err().println("raylane: " + ex.getMessage() + " (see: " + name + " --help)");
			return ExitCodes.USAGE;
		});
		return line;
	}

	@Override
	public Integer call() {
		this.spec.commandLine().usage(this.context.err());
		return ExitCodes.USAGE;
	}

}
