package io.raylane.topics.events;

/**
 * Stop this job on Ray ({@code POST /api/jobs/{id}/stop}).
 *
 * @param schemaVersion version of this record's shape
 * @param jobId the job id
 * @param pool the pool
 * @param reason why: {@code user}, {@code timeout}, ...
 */
public record StopOnRay(int schemaVersion, String jobId, String pool, String reason) implements DispatchCommand {

	public static final int SCHEMA_VERSION = 1;

	public StopOnRay {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

	public StopOnRay(String jobId, String pool, String reason) {
		this(SCHEMA_VERSION, jobId, pool, reason);
	}

}
