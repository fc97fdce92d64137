package io.raylane.cli.commands;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import io.raylane.cli.Context;
import io.raylane.cli.ExitCodes;
import io.raylane.cli.RaylaneCli;
import io.raylane.cli.ScriptedApi.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import static org.assertj.core.api.Assertions.assertThat;

/** The command tree: what each command line means, and what a wrong one prints. */
class ArgumentParsingTest {

	@TempDir
	Path home;

	private CommandLine cli() {
		StringWriter sink = new StringWriter();
		return RaylaneCli
			.commandLine(new Context(Map.of(), this.home, new PrintWriter(sink), new PrintWriter(sink), false));
	}

	@Test
	void shouldReadSubmitsFileFollowAndOutput() {
		ParseResult parsed = cli().parseArgs("submit", "job.yaml", "--follow", "--output", "JSON", "--tail", "5");
		SubmitCommand submit = (SubmitCommand) parsed.subcommand().commandSpec().userObject();

		assertThat(submit.file).isEqualTo(Path.of("job.yaml"));
		assertThat(submit.follow).isTrue();
		assertThat(submit.tail).isEqualTo(5);
		assertThat(submit.json()).isTrue();
	}

	@Test
	void shouldDefaultToTablesAndThePoolDefault() {
		QueueCommand queue = (QueueCommand) cli().parseArgs("queue").subcommand().commandSpec().userObject();
		JobsCommand jobs = (JobsCommand) cli().parseArgs("jobs", "--status", "RUNNING", "--all")
			.subcommand()
			.commandSpec()
			.userObject();

		assertThat(queue.pool).isEqualTo("default");
		assertThat(queue.json()).isFalse();
		assertThat(jobs.status).isEqualTo("RUNNING");
		assertThat(jobs.all).isTrue();
	}

	@Test
	void shouldReadUsageWindowsAndNodeActions() {
		UsageCommand usage = (UsageCommand) cli().parseArgs("usage", "--group-by", "pool", "--from", "2026-11-01")
			.subcommand()
			.commandSpec()
			.userObject();
		ParseResult add = cli().parseArgs("nodes", "add", "gpu-01", "--host", "127.0.0.2", "--gpus", "8", "--label",
				"zone=a", "--label", "ib=yes");
		NodesCommand.Add node = (NodesCommand.Add) add.subcommand().subcommand().commandSpec().userObject();

		assertThat(usage.groupBy).isEqualTo("pool");
		assertThat(usage.from).isEqualTo("2026-11-01");
		assertThat(usage.to).isNull();
		assertThat(node.node).isEqualTo("gpu-01");
		assertThat(node.gpus).isEqualTo(8);
		assertThat(node.labels).containsExactly(Map.entry("zone", "a"), Map.entry("ib", "yes"));
	}

	@Test
	void shouldExplainAWrongCommandLineInOneLine() {
		Run missing = Run.of(Map.of(), this.home, "submit");
		Run unknown = Run.of(Map.of(), this.home, "jobs", "--colour");

		assertThat(missing.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(missing.err().lines()).singleElement()
			.asString()
			.contains("Missing required parameter: 'FILE'")
			.contains("raylane submit --help");
		assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(unknown.err().lines()).singleElement().asString().contains("--colour");
	}

	@Test
	void shouldPrintABashCompletionScriptOfEveryCommand() {
		Run completion = Run.of(Map.of(), this.home, "completion");

		assertThat(completion.exitCode()).isZero();
		assertThat(completion.out()).contains("complete -F _complete_raylane")
			.contains("submit")
			.contains("queue")
			.contains("decommission");
	}

	@Test
	void shouldListTheExitCodesInTheHelp() {
		Run help = Run.of(Map.of(), this.home, "--help");

		assertThat(help.exitCode()).isZero();
		assertThat(help.out()).contains("Exit codes:").contains("3   the API refused the request (4xx)");
	}

}
