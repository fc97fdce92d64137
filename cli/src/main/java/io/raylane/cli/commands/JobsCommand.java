package io.raylane.cli.commands;

import java.util.Map;

import io.raylane.cli.ExitCodes;
import io.raylane.cli.http.ApiClient;
import io.raylane.cli.render.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code raylane jobs [--status S] [--all]}: {@code GET /v1/jobs}, newest first. */
@Command(name = "jobs", description = "Your jobs (an admin: everyone's), newest first.")
public class JobsCommand extends ApiCommand {

	@Option(names = "--status", paramLabel = "STATUS", description = "only jobs in this status, e.g. RUNNING")
	String status;

	@Option(names = "--all", description = "every job, page after page (default: the newest --limit)")
	boolean all;

	@Option(names = "--limit", defaultValue = "100", paramLabel = "N", description = "jobs per page (default 100)")
	int limit;

	@Override
	public Integer call() {
		ApiClient api = api();
		Map<String, Object> parameters = ApiClient.parameters("status", this.status, "limit", this.limit);
		JsonNode answer = this.all ? Paging.all(api, "/v1/jobs", parameters, "jobs")
				: parse(api.get(ApiClient.query("/v1/jobs", parameters)));
		if (json()) {
			printJson(answer.toString());
			return ExitCodes.OK;
		}
		out().print(Views.jobs(answer.path("jobs")));
		if (!answer.path("next_page_token").isNull() && !answer.path("next_page_token").isMissingNode()) {
			context().err().println("(more jobs: raylane jobs --all)");
		}
		return ExitCodes.OK;
	}

}
