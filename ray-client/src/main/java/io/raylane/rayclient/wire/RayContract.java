package io.raylane.rayclient.wire;

import java.util.Map;
import java.util.Optional;

/**
 * Facts of Ray's HTTP contract that several modules rely on (docs/reference/ray-http.md).
 * Kept in one place so the submitter, the observer and the local Ray-compatible head
 * cannot drift apart.
 */
public final class RayContract {

	/**
	 * A worker of pool P advertises the custom resource {@code raylane-pool-P}; hyphens
	 * survive Ray's camelCase views.
	 */
	public static final String POOL_RESOURCE_PREFIX = "raylane-pool-";

	/** Units of the pool resource a worker advertises ({@code ray start --resources}). */
	public static final int POOL_RESOURCE_UNITS = 1000;

	/** The text of Ray's HTTP 500 answer to a reused submission id. */
	public static final String DUPLICATE_SUBMISSION_MARKER = "Please use a different submission_id";

	/**
	 * Metadata keys Raylane puts on every submission (Ray metadata is string → string).
	 */
	public static final String META_JOB_ID = "raylane_job_id";

	public static final String META_USER = "raylane_user";

	public static final String META_POOL = "raylane_pool";

	/**
	 * The JobSpec's workload (command, ppo, grpo, sft, nccl_check); accounting records
	 * carry it.
	 */
	public static final String META_WORKLOAD = "raylane_workload";

	/**
	 * GPUs the job holds in all (nodes × GPUs per node), as a decimal string; accounting
	 * multiplies by it.
	 */
	public static final String META_GPUS = "raylane_gpus";

	/**
	 * Comma-separated IPs of the nodes whose GPUs the job holds, in placement order; the
	 * observer scrapes their metrics endpoints and attributes utilization to the job
	 * ({@code gpus / count} GPUs on each).
	 */
	public static final String META_NODE_IPS = "raylane_node_ips";

	public static final String STATUS_PENDING = "PENDING";

	public static final String STATUS_RUNNING = "RUNNING";

	public static final String STATUS_STOPPED = "STOPPED";

	public static final String STATUS_SUCCEEDED = "SUCCEEDED";

	public static final String STATUS_FAILED = "FAILED";

	private RayContract() {
	}

	public static String poolResource(String pool) {
		return POOL_RESOURCE_PREFIX + pool;
	}

	/**
	 * The pool of a node, from its {@code raylane-pool-<pool>} resource; empty for the
	 * head and foreign nodes.
	 */
	public static Optional<String> poolOf(Map<String, Double> resourcesTotal) {
		if (resourcesTotal == null) {
			return Optional.empty();
		}
		return resourcesTotal.entrySet()
			.stream()
			.filter((e) -> e.getKey().startsWith(POOL_RESOURCE_PREFIX) && e.getValue() != null && e.getValue() > 0)
			.map((e) -> e.getKey().substring(POOL_RESOURCE_PREFIX.length()))
			.filter((pool) -> !pool.isEmpty())
			.sorted()
			.findFirst();
	}

	public static boolean isTerminal(String rayStatus) {
		return STATUS_STOPPED.equals(rayStatus) || STATUS_SUCCEEDED.equals(rayStatus)
				|| STATUS_FAILED.equals(rayStatus);
	}

}
