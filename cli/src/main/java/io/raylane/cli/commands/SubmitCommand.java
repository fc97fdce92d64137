package io.raylane.cli.commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

import io.raylane.cli.CliException;
import io.raylane.cli.ExitCodes;
import io.raylane.cli.http.ApiClient;
import io.raylane.cli.render.LogTail;
import io.raylane.cli.render.ProgressBar;
import io.raylane.cli.render.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code raylane submit FILE [--follow]}: {@code POST /v1/jobs} with the file (YAML or
 * JSON), printing the job id. With {@code --follow} it polls {@code GET /v1/jobs/{id}}
 * and draws the progress bar until the job ends, prints the driver log's tail, and exits
 * 0 only if the job SUCCEEDED.
 */
@Command(name = "submit", description = "Submit a JobSpec (YAML or JSON file, docs/jobspec.md); prints the job id.")
public class SubmitCommand extends ApiCommand {

	@Parameters(index = "0", paramLabel = "FILE", description = "the JobSpec, .yaml/.yml or .json")
	Path file;

	@Option(names = { "-f", "--follow" },
			description = "watch the job until it ends: a progress bar, then the log's tail; exit 0 only if it SUCCEEDED")
	boolean follow;

	@Option(names = "--tail", defaultValue = "20", paramLabel = "LINES",
			description = "driver log lines shown when a followed job ends (default 20)")
	int tail;

	@Option(names = "--interval", defaultValue = "1", paramLabel = "SECONDS",
			description = "how often a followed job is asked for (default 1)")
	double interval;

	@Override
	public Integer call() throws InterruptedException {
		byte[] body = read(this.file);
		ApiClient api = api();
		String answer = api.post("/v1/jobs", contentType(this.file, body), body);
		String id = parse(answer).path("job_id").asString();
		if (json()) {
			printJson(answer);
		}
		else {
			out().println(id);
		}
		if (!this.follow) {
			return ExitCodes.OK;
		}
		JsonNode end = new JobWatch(api, out(), context().terminal() && !json(), this.interval).untilEnded(id, !json());
		String status = end.path("status").asString();
		if (json()) {
			out().println(end.toString());
		}
		else if (!"REJECTED".equals(status)) {
			// a rejected job never ran, so it has no log to wait for
			String logs = new JobWatch(api, out(), false, this.interval).finalLogs(id);
			String shown = LogTail.last(logs, this.tail);
			out().println("--- driver log, last " + this.tail + " lines ---");
			out().print(shown.isEmpty() ? "(empty)\n" : shown);
		}
		if (!"SUCCEEDED".equals(status)) {
			context().err().println("raylane: job " + id + " ended " + status + ": " + end.path("reason").asString(""));
			return ExitCodes.JOB_NOT_SUCCEEDED;
		}
		return ExitCodes.OK;
	}

	/** JSON for a {@code .json} file or one that starts with '{'; YAML otherwise. */
	static String contentType(Path file, byte[] body) {
		String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
		String text = new String(body, 0, Math.min(body.length, 64), java.nio.charset.StandardCharsets.UTF_8).strip();
		return (name.endsWith(".json") || text.startsWith("{")) ? "application/json" : "application/yaml";
	}

	private static byte[] read(Path file) {
		try {
			return Files.readAllBytes(file);
		}
		catch (NoSuchFileException ex) {
			throw new CliException(ExitCodes.USAGE, "no such file: " + file);
		}
		catch (IOException ex) {
			throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + ex.getMessage());
		}
	}

	static boolean ended(JsonNode job) {
		return Views.isTerminal(job.path("status").asString(null));
	}

	static String barOf(JsonNode job) {
		JsonNode progress = job.path("progress");
		Integer step = progress.path("step").isNumber() ? progress.path("step").asInt() : null;
		Integer total = progress.path("total_steps").isNumber() ? progress.path("total_steps").asInt() : null;
		return ProgressBar.line(step, total, job.path("status").asString(null));
	}

}
