package io.raylane.cli.commands;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.raylane.cli.ExitCodes;
import io.raylane.cli.render.StorageViews;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code raylane ops cleanup [--job ID ...] [--older-than 14d] [--user U] [--state S ...]
 * [--keep-last N] [--delete-logs] [--delete-config] [--dry-run]}:
 * {@code POST /v1/ops/cleanup_job_artifacts} (docs/sop/cleanup.md). Prints what was (or
 * would be) freed per job.
 */
@Command(name = "cleanup",
		description = "Delete checkpoints of finished jobs (keeps config, logs and the last checkpoint; never one a "
				+ "queued or running job resumes from). Try --dry-run first.")
public class OpsCleanupCommand extends ApiCommand {

	@Option(names = "--job", paramLabel = "ID", description = "this job (repeatable)")
	List<String> jobs = new ArrayList<>();

	@Option(names = "--older-than", paramLabel = "DURATION", description = "jobs that ended longer ago, e.g. 14d")
	String olderThan;

	@Option(names = "--user", paramLabel = "USER", description = "jobs of this user")
	String user;

	@Option(names = "--state", paramLabel = "STATE",
			description = "jobs that ended in this state: SUCCEEDED, FAILED, STOPPED, TIMED_OUT, REJECTED (repeatable)")
	List<String> states = new ArrayList<>();

	@Option(names = "--keep-last", paramLabel = "N", description = "newest checkpoints kept per job (default 1)")
	Integer keepLast;

	@Option(names = "--delete-logs", description = "delete logs/ too")
	boolean deleteLogs;

	@Option(names = "--delete-config", description = "delete config/ too")
	boolean deleteConfig;

	@Option(names = "--dry-run", description = "only say what would be freed")
	boolean dryRun;

	@Override
	public Integer call() {
		String answer = api().post("/v1/ops/cleanup_job_artifacts", "application/json",
				body().toString().getBytes(StandardCharsets.UTF_8));
		if (json()) {
			printJson(answer);
		}
		else {
			out().print(StorageViews.cleanup(parse(answer)));
		}
		return ExitCodes.OK;
	}

	/** The request: only what was given (the API names a missing selector). */
	ObjectNode body() {
		ObjectNode body = JSON.createObjectNode();
		if (!this.jobs.isEmpty()) {
			ArrayNode ids = body.putArray("job_ids");
			this.jobs.forEach(ids::add);
		}
		if (this.olderThan != null) {
			body.put("older_than", this.olderThan);
		}
		if (this.user != null) {
			body.put("user", this.user);
		}
		if (!this.states.isEmpty()) {
			ArrayNode states = body.putArray("states");
			this.states.forEach(states::add);
		}
		if (this.keepLast != null || this.deleteLogs || this.deleteConfig) {
			ObjectNode keep = body.putObject("keep");
			if (this.keepLast != null) {
				keep.put("last_checkpoints", this.keepLast);
			}
			if (this.deleteLogs) {
				keep.put("logs", false);
			}
			if (this.deleteConfig) {
				keep.put("config", false);
			}
		}
		body.put("dry_run", this.dryRun);
		return body;
	}

}
