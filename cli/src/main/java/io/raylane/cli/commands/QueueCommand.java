package io.raylane.cli.commands;

import io.raylane.cli.ExitCodes;
import io.raylane.cli.http.ApiClient;
import io.raylane.cli.render.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code raylane queue [--pool P]}: {@code GET /v1/queue}, every page. */
@Command(name = "queue",
		description = "A pool's waiting jobs in queue order: position, every reason it waits, estimated start.")
public class QueueCommand extends ApiCommand {

	@Option(names = "--pool", defaultValue = "default", paramLabel = "POOL",
			description = "the pool (default: default)")
	String pool;

	@Override
	public Integer call() {
		JsonNode answer = Paging.all(api(), "/v1/queue", ApiClient.parameters("pool", this.pool, "limit", 1000),
				"jobs");
		if (json()) {
			printJson(answer.toString());
		}
		else {
			out().println("pool " + this.pool + ": " + answer.path("jobs").size() + " waiting");
			if (!answer.path("jobs").isEmpty()) {
				out().print(Views.queue(answer.path("jobs")));
			}
		}
		return ExitCodes.OK;
	}

}
