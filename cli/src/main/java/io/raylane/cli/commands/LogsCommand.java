package io.raylane.cli.commands;

import io.raylane.cli.ExitCodes;
import io.raylane.cli.http.ApiClient;
import io.raylane.cli.render.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code raylane logs ID [-f]}: {@code GET /v1/jobs/{id}/logs}; with {@code -f} the
 * streamed {@code ?follow=true}, printed as it arrives until the job ends.
 */
@Command(name = "logs", description = "A job's driver log; -f follows it until the job ends.")
public class LogsCommand extends ApiCommand {

	@Parameters(index = "0", paramLabel = "ID", description = "the job id")
	String id;

	@Option(names = { "-f", "--follow" },
			description = "stream the log as it grows, until the job ends " + "(plain text, also with --output json)")
	boolean follow;

	@Override
	public Integer call() {
		ApiClient api = api();
		String path = "/v1/jobs/" + ApiClient.segment(this.id);
		if (this.follow) {
			api.stream(path + "/logs?follow=true", out());
			// the API ends a stream when the job ends, at its per-connection bound
			// (raylane.api.logs.follow-max) or when it stops: say which, so nobody
			// waits for more
			String status = parse(api.get(path)).path("status").asString(null);
			if (!Views.isTerminal(status)) {
				context().err()
					.println("raylane: the API ended the log stream while job " + this.id + " is still " + status
							+ " (its per-connection limit, or it stopped); run raylane logs -f " + this.id
							+ " again for more");
			}
			return ExitCodes.OK;
		}
		String answer = api.get(path + "/logs");
		if (json()) {
			printJson(answer);
		}
		else {
			out().print(parse(answer).path("logs").asString(""));
		}
		return ExitCodes.OK;
	}

}
