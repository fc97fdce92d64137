package io.raylane.topics.ray;

/** Answer of {@code POST /api/jobs/}: both ids equal the submission id. */
public record RayJobSubmitResponse(String jobId, String submissionId) {
}
