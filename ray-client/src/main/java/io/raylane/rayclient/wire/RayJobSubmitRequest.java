package io.raylane.rayclient.wire;

import java.util.Map;

/**
 * Body of {@code POST /api/jobs/} (Ray's JobSubmitRequest). Null fields are omitted on
 * the wire: Ray refuses keys it does not know, so only send what the target version has.
 *
 * @param entrypointLabelSelector node labels the driver's node must have (Ray 2.60's
 * {@code JobSubmitRequest.entrypoint_label_selector}, dashboard/modules/job/common.py;
 * the job manager adds it to the supervisor actor's {@code label_selector},
 * job_manager.py {@code submit_job}); null = none
 */
public record RayJobSubmitRequest(String entrypoint, String submissionId, Map<String, Object> runtimeEnv,
		Map<String, String> metadata, Double entrypointNumCpus, Double entrypointNumGpus,
		Map<String, Double> entrypointResources, Map<String, String> entrypointLabelSelector) {

	/** Without a label selector for the driver. */
	public RayJobSubmitRequest(String entrypoint, String submissionId, Map<String, Object> runtimeEnv,
			Map<String, String> metadata, Double entrypointNumCpus, Double entrypointNumGpus,
			Map<String, Double> entrypointResources) {
		this(entrypoint, submissionId, runtimeEnv, metadata, entrypointNumCpus, entrypointNumGpus, entrypointResources,
				null);
	}

}
