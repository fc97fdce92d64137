package io.raylane.api.storage;

import java.util.List;

/**
 * The body of {@code POST /v1/ops/cleanup_job_artifacts} as sent (snake_case JSON; read
 * strictly by {@link CleanupRequests}, which turns it into {@link CleanupCriteria}).
 *
 * @param jobIds these jobs
 * @param olderThan jobs that ended longer ago than this duration (e.g. {@code 14d})
 * @param user jobs of this user
 * @param states jobs that ended in one of these states
 * @param keep what to keep of each job (defaults: config, logs, the last checkpoint)
 * @param dryRun report what would be freed, delete nothing
 */
record CleanupRequest(List<String> jobIds, String olderThan, String user, List<String> states, Keep keep,
		Boolean dryRun) {

	/**
	 * @param lastCheckpoints how many of the newest {@code global_step_*} folders to keep
	 * (default 1; 0 keeps none but the pinned ones; the step in
	 * {@code latest_checkpointed_iteration.txt} is kept whenever this is at least 1)
	 * @param logs keep {@code logs/} (default true)
	 * @param config keep {@code config/} (default true)
	 */
	record Keep(Integer lastCheckpoints, Boolean logs, Boolean config) {
	}

}
