package io.raylane.cli.commands;

import io.raylane.cli.ExitCodes;
import io.raylane.cli.http.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code raylane stop ID}: {@code POST /v1/jobs/{id}:stop}. */
@Command(name = "stop", description = "Stop a job: a queued one at once, a running one on Ray.")
public class StopCommand extends ApiCommand {

	@Parameters(index = "0", paramLabel = "ID", description = "the job id")
	String id;

	@Override
	public Integer call() {
		String answer = api().post("/v1/jobs/" + ApiClient.segment(this.id) + ":stop", null, new byte[0]);
		if (json()) {
			printJson(answer);
			return ExitCodes.OK;
		}
		JsonNode ack = parse(answer);
		String detail = ack.path("detail").asString("");
		out().println(ack.path("job_id").asString() + ": " + ack.path("status").asString()
				+ (detail.isEmpty() ? "" : " (" + detail + ")"));
		return ExitCodes.OK;
	}

}
