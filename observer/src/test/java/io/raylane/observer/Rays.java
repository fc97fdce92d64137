package io.raylane.observer;

import java.util.HashMap;
import java.util.Map;

import io.raylane.rayclient.wire.RayDriverInfo;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.rayclient.wire.RayNodeState;

/**
 * Test builders of Ray's wire shapes, as Ray fills them (see docs/reference/ray-http.md
 * §4, §7).
 */
public final class Rays {

	private Rays() {
	}

	/** A Raylane submission, PENDING: driver fields null. */
	public static RayJobDetails raylaneJob(String id, String pool) {
		return new RayJobDetails("SUBMISSION", null, id, null, "PENDING", "echo hi",
				"Job has not started yet. It may be waiting for resources (CPUs, GPUs, memory, custom resources) to become available.",
				null, 1735700000123L, null, Map.of("raylane_job_id", id, "raylane_user", "alice", "raylane_pool", pool),
				Map.of(), null, null, null);
	}

	/** The same job running on a driver node. */
	public static RayJobDetails running(RayJobDetails job, String driverIp) {
		// as Ray 2.60 answers for a command entrypoint: job_id and driver_info null
		return new RayJobDetails(job.type(), null, job.submissionId(), null, "RUNNING", job.entrypoint(),
				"Job is currently running.", null, job.startTime(), null, job.metadata(), job.runtimeEnv(),
				"http://" + driverIp + ":52365", "8b1ce4", null);
	}

	/**
	 * A Raylane GPU job as the scheduler submits it (metadata with user, pool, workload,
	 * GPUs and node IPs), in a given Ray status; {@code endMs} is Ray's end time (null
	 * while it runs).
	 */
	public static RayJobDetails gpuJob(String id, int gpus, long startMs, String status, Long endMs,
			String... nodeIps) {
		Map<String, String> meta = new HashMap<>();
		meta.put("raylane_job_id", id);
		meta.put("raylane_user", "alice");
		meta.put("raylane_pool", "default");
		meta.put("raylane_workload", "ppo");
		meta.put("raylane_gpus", String.valueOf(gpus));
		meta.put("raylane_node_ips", String.join(",", nodeIps));
		boolean running = !"PENDING".equals(status);
		return new RayJobDetails("SUBMISSION", null, id, null, status, "echo hi", "Job is currently running.", null,
				startMs, endMs, meta, Map.of(), running ? "http://127.10.0.11:52365" : null, running ? "8b1ce4" : null,
				null);
	}

	/**
	 * Somebody else's submission that copies a Raylane job's metadata (as anyone who can
	 * reach Ray's dashboard may): GPU job {@code claimedJobId} of alice in pool default,
	 * under its own submission id.
	 */
	public static RayJobDetails impostor(String submissionId, String claimedJobId, String status, Long endMs) {
		RayJobDetails copied = gpuJob(claimedJobId, 8, 1735700000000L, status, endMs, "127.10.0.11");
		return new RayJobDetails(copied.type(), null, submissionId, null, status, "exit 1", "Job failed.", null,
				copied.startTime(), endMs, copied.metadata(), Map.of(), copied.driverAgentHttpAddress(), null, null);
	}

	/** Somebody else's submission: no Raylane metadata. */
	public static RayJobDetails foreignJob(String id) {
		return new RayJobDetails("SUBMISSION", null, id, null, "RUNNING", "python train.py",
				"Job is currently running.", null, 1735700000000L, null, Map.of("owner", "bob"), null, null, null,
				null);
	}

	/** A script that called ray.init itself, even if it copied Raylane's metadata. */
	public static RayJobDetails driverJob(String rayJobId) {
		return new RayJobDetails("DRIVER", rayJobId, null, new RayDriverInfo(rayJobId, "127.10.0.1", "7"), "RUNNING",
				"", null, null, 1735700000000L, null, Map.of("raylane_job_id", "sneaky"), null, null, null, null);
	}

	public static RayNodeState head(String id) {
		return new RayNodeState(id, "127.10.0.1", true, "ALIVE", null, "127.10.0.1",
				Map.of("CPU", 0.0, "memory", 1.0e9, "node:127.10.0.1", 1.0, "node:__internal_head__", 1.0),
				Map.of("ray.io/node-id", id), null, null);
	}

	public static RayNodeState worker(String id, String ip, String pool, double gpus, boolean alive) {
		Map<String, Double> resources = new HashMap<>();
		resources.put("CPU", 64.0);
		resources.put("GPU", gpus);
		resources.put("memory", 5.1e11);
		resources.put("node:" + ip, 1.0);
		resources.put("raylane-pool-" + pool, 1000.0);
		return new RayNodeState(id, ip, false, alive ? "ALIVE" : "DEAD", alive ? null : "node lost", ip, resources,
				Map.of("ray.io/node-id", id, "gpu", "a100"), null, null);
	}

}
