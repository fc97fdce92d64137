package io.raylane.cli.commands;

import io.raylane.cli.ExitCodes;
import io.raylane.cli.http.ApiClient;
import io.raylane.cli.render.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code raylane job ID}: {@code GET /v1/jobs/{id}}. */
@Command(name = "job",
		description = "One job: status, reasons, queue position, progress, failure diagnosis, job directory.")
public class JobCommand extends ApiCommand {

	@Parameters(index = "0", paramLabel = "ID", description = "the job id (rl-...)")
	String id;

	@Override
	public Integer call() {
		String answer = api().get("/v1/jobs/" + ApiClient.segment(this.id));
		if (json()) {
			printJson(answer);
		}
		else {
			out().print(Views.job(parse(answer)));
		}
		return ExitCodes.OK;
	}

}
