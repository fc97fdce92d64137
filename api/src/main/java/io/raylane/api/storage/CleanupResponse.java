package io.raylane.api.storage;

import java.util.List;

/**
 * The answer of {@code POST /v1/ops/cleanup_job_artifacts}: what was (or, in a dry run,
 * would be) freed, in all and per job.
 *
 * @param dryRun whether nothing was deleted
 * @param bytesFreed the sum of the jobs' bytes
 * @param jobs one entry per selected job
 */
record CleanupResponse(boolean dryRun, long bytesFreed, List<JobResult> jobs) {

	/**
	 * @param jobId the job
	 * @param bytesFreed bytes of the regular files deleted (or to delete)
	 * @param deleted the paths deleted, relative to the job directory
	 * @param kept the paths kept (config, logs, checkpoints kept or pinned)
	 * @param refused why the job was left alone (not finished, unknown, outside the
	 * shared root, a link); absent otherwise
	 * @param errors paths that could not be deleted, with the reason; absent when none
	 */
	record JobResult(String jobId, long bytesFreed, List<String> deleted, List<String> kept, String refused,
			List<String> errors) {
	}

}
