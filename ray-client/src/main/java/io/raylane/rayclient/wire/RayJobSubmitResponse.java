package io.raylane.rayclient.wire;

/** Answer of {@code POST /api/jobs/}: both ids equal the submission id. */
public record RayJobSubmitResponse(String jobId, String submissionId) {
}
