package io.raylane.jobspec.workload;

import java.util.Map;

/**
 * What the composer needs besides the spec.
 *
 * @param jobId the job id (default experiment name)
 * @param jobDir the job directory on the shared storage (absolute); checkpoints go to
 * {@code <jobDir>/checkpoints}
 * @param user the owner (default W&amp;B project {@code raylane-<user>})
 * @param poolEnv the pool's default environment (NCCL / IB variables), under the job's
 * own {@code env}
 */
public record ComposeContext(String jobId, String jobDir, String user, Map<String, String> poolEnv) {

	public ComposeContext {
		poolEnv = (poolEnv != null) ? poolEnv : Map.of();
	}

}
