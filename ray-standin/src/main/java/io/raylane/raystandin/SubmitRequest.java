package io.raylane.raystandin;

import java.util.Map;

/**
 * A validated {@code POST /api/jobs/} body (Ray's JobSubmitRequest after
 * {@code __post_init__}).
 *
 * @param submissionId the requested id, or null to generate one
 */
record SubmitRequest(String entrypoint, String submissionId, Map<String, Object> runtimeEnv,
		Map<String, String> metadata, ResourceRequest resources) {
}
