package io.raylane.topics.events;

import java.time.Instant;

/**
 * Stop this job. A queued job ends STOPPED at once; a dispatched or running one is
 * stopped on Ray first.
 *
 * @param schemaVersion version of this record's shape
 * @param jobId the job to stop
 * @param pool the job's pool (the topology re-keys by it)
 * @param by who asked (user name)
 * @param reason why, free text
 * @param requestedAt when it was asked
 */
public record StopJob(int schemaVersion, String jobId, String pool, String by, String reason,
		Instant requestedAt) implements JobCommand {

	public static final int SCHEMA_VERSION = 1;

	public StopJob {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

	public StopJob(String jobId, String pool, String by, String reason, Instant requestedAt) {
		this(SCHEMA_VERSION, jobId, pool, by, reason, requestedAt);
	}

}
