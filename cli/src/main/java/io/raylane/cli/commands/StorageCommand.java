package io.raylane.cli.commands;

import io.raylane.cli.ExitCodes;
import io.raylane.cli.render.StorageViews;
import picocli.CommandLine.Command;

/** {@code raylane storage}: {@code GET /v1/storage} (issue 16). */
@Command(name = "storage",
		description = "Bytes on the shared storage: yours (an admin: by user, by job, common/, and the file system).")
public class StorageCommand extends ApiCommand {

	@Override
	public Integer call() {
		String answer = api().get("/v1/storage");
		if (json()) {
			printJson(answer);
		}
		else {
			out().print(StorageViews.storage(parse(answer)));
		}
		return ExitCodes.OK;
	}

}
