package io.raylane.rayclient.wire;

import java.util.Map;

/**
 * Ray's JobDetails ({@code GET /api/jobs/{id}} and the items of {@code GET /api/jobs/}).
 * Ray serializes every key, {@code null} when unknown; {@link RayJson} keeps the nulls.
 */
public record RayJobDetails(String type, String jobId, String submissionId, RayDriverInfo driverInfo, String status,
		String entrypoint, String message, String errorType, Long startTime, Long endTime, Map<String, String> metadata,
		Map<String, Object> runtimeEnv, String driverAgentHttpAddress, String driverNodeId, Integer driverExitCode) {

	public static final String TYPE_SUBMISSION = "SUBMISSION";

	public static final String TYPE_DRIVER = "DRIVER";

}
