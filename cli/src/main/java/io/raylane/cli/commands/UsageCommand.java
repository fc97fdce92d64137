package io.raylane.cli.commands;

import io.raylane.cli.ExitCodes;
import io.raylane.cli.http.ApiClient;
import io.raylane.cli.render.Views;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code raylane usage [--group-by] [--from] [--to] [--user]}: {@code GET /v1/usage}. */
@Command(name = "usage", description = "GPU time used, by user, pool or job (yours; an admin: everyone's).")
public class UsageCommand extends ApiCommand {

	@Option(names = "--group-by", paramLabel = "KEY", description = "user (default), pool or job")
	String groupBy;

	@Option(names = "--from", paramLabel = "WHEN",
			description = "window start, inclusive: an ISO-8601 instant or a date (2026-11-01)")
	String from;

	@Option(names = "--to", paramLabel = "WHEN", description = "window end, exclusive (default: now)")
	String to;

	@Option(names = "--user", paramLabel = "USER", description = "only this user's usage (admins)")
	String user;

	@Override
	public Integer call() {
		String answer = api().get(ApiClient.query("/v1/usage",
				ApiClient.parameters("group_by", this.groupBy, "from", this.from, "to", this.to, "user", this.user)));
		if (json()) {
			printJson(answer);
		}
		else {
			out().print(Views.usage(parse(answer)));
		}
		return ExitCodes.OK;
	}

}
