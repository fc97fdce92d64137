package io.raylane.submitter.dispatch;

import java.util.LinkedHashMap;
import java.util.Map;

import io.raylane.jobspec.workload.WorkloadComposer;
import io.raylane.rayclient.wire.RayContract;
import io.raylane.rayclient.wire.RayJobSubmitRequest;
import io.raylane.topics.events.SubmitToRay;

/**
 * Decides the body of {@code POST /api/jobs/} for a {@link SubmitToRay}. Pure. The same
 * request feeds the job directory ({@code submit_cmd.txt}, {@code runtime_env.json}), so
 * what is on disk is what Ray got.
 */
final class RaySubmission {

	private RaySubmission() {
	}

	/**
	 * The request: {@code submission_id} = job id (a redelivery is then idempotent), the
	 * scheduler's entrypoint, runtime_env, metadata and entrypoint_resources, plus two
	 * guarantees the rest of Raylane relies on: the metadata names the job, user and pool
	 * (the observer recognises Raylane's jobs by them), and the resources ask for
	 * {@code raylane-pool-<pool>} (without any resource, Ray pins the driver to the
	 * head).
	 */
	static RayJobSubmitRequest requestOf(SubmitToRay command) {
		Map<String, String> metadata = new LinkedHashMap<>();
		if (command.metadata() != null) {
			// Ray's metadata is string → string; a null value would be refused with a 400
			command.metadata().forEach((k, v) -> {
				if (k != null && v != null) {
					metadata.put(k, v);
				}
			});
		}
		putIfPresent(metadata, RayContract.META_JOB_ID, command.jobId());
		putIfPresent(metadata, RayContract.META_USER, command.user());
		putIfPresent(metadata, RayContract.META_POOL, command.pool());
		Map<String, Double> resources = new LinkedHashMap<>();
		if (command.entrypointResources() != null) {
			resources.putAll(command.entrypointResources());
		}
		if (command.pool() != null && resources.keySet().stream().noneMatch(RaySubmission::isPoolResource)) {
			resources.put(RayContract.poolResource(command.pool()), 1.0);
		}
		// torchrun SFT runs its GPUs inside the driver, which must then reserve them
		// (docs/reference/verl.md §2)
		Double gpus = (command.spec() != null) ? WorkloadComposer.entrypointNumGpus(command.spec()) : null;
		return new RayJobSubmitRequest(command.entrypoint(), command.jobId(), command.runtimeEnv(), metadata, null,
				gpus, resources);
	}

	private static boolean isPoolResource(String name) {
		return name.startsWith(RayContract.POOL_RESOURCE_PREFIX);
	}

	private static void putIfPresent(Map<String, String> metadata, String key, String value) {
		if (value != null) {
			metadata.putIfAbsent(key, value);
		}
	}

}
