package io.raylane.rayclient.wire;

import java.util.Map;

/**
 * Body of {@code POST /api/jobs/} (Ray's JobSubmitRequest). Null fields are omitted on
 * the wire: Ray refuses keys it does not know, so only send what the target version has.
 */
public record RayJobSubmitRequest(String entrypoint, String submissionId, Map<String, Object> runtimeEnv,
		Map<String, String> metadata, Double entrypointNumCpus, Double entrypointNumGpus,
		Map<String, Double> entrypointResources) {
}
