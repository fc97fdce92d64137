package io.raylane.jobspec.workload;

import java.util.List;
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
 * @param hfHome the shared Hugging Face cache, {@code <shared root>/hf} (issue 16 item
 * 5): {@code HF_HOME} of every job unless its pool or its own {@code env} sets one; null
 * = none (a caller without the shared root)
 * @param nodes the ids of the nodes the job holds, in gang order; empty when unknown
 * @param nodeIps their IPs, in the same order (the {@code nccl_check} workload runs
 * between each pair of them); empty when unknown
 */
public record ComposeContext(String jobId, String jobDir, String user, Map<String, String> poolEnv, String hfHome,
		List<String> nodes, List<String> nodeIps) {

	/** The name of the Hugging Face cache folder under the shared root. */
	public static final String HF_FOLDER = "hf";

	public ComposeContext {
		poolEnv = (poolEnv != null) ? poolEnv : Map.of();
		hfHome = (hfHome != null && !hfHome.isBlank()) ? hfHome : null;
		nodes = (nodes != null) ? List.copyOf(nodes) : List.of();
		nodeIps = (nodeIps != null) ? nodeIps.stream().map((ip) -> (ip != null) ? ip : "").toList() : List.of();
	}

	/** A context without the shared cache and without the gang's nodes. */
	public ComposeContext(String jobId, String jobDir, String user, Map<String, String> poolEnv) {
		this(jobId, jobDir, user, poolEnv, null, List.of(), List.of());
	}

}
