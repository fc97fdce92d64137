package io.raylane.topics.events;

import java.util.List;
import java.util.Map;

import io.raylane.topics.job.JobSpec;

/**
 * Submit this job to Ray's Jobs API ({@code POST /api/jobs/}) with
 * {@code submission_id = jobId}, after writing its job directory.
 *
 * @param schemaVersion version of this record's shape
 * @param jobId the job id and Ray submission id
 * @param user the owner
 * @param pool the pool
 * @param spec the JobSpec as accepted (written to {@code config/jobspec.yaml})
 * @param entrypoint the shell command Ray runs
 * @param runtimeEnv Ray's runtime_env (env_vars etc.)
 * @param entrypointResources Ray's entrypoint_resources; always names
 * {@code raylane-pool-<pool>}
 * @param metadata Ray's metadata (strings only)
 * @param jobDir the job directory on the shared storage
 * @param nodes node ids whose GPUs the scheduler reserved for the job
 */
public record SubmitToRay(int schemaVersion, String jobId, String user, String pool, JobSpec spec, String entrypoint,
		Map<String, Object> runtimeEnv, Map<String, Double> entrypointResources, Map<String, String> metadata,
		String jobDir, List<String> nodes) implements DispatchCommand {

	public static final int SCHEMA_VERSION = 1;

	public SubmitToRay {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

}
