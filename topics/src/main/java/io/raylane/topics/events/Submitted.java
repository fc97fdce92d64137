package io.raylane.topics.events;

import java.time.Instant;

/**
 * Ray accepted the submission (or already had it: a redelivered dispatch is idempotent).
 *
 * @param schemaVersion version of this record's shape
 * @param jobId the job id
 * @param pool the pool
 * @param alreadySubmitted true when Ray answered that the submission id was already used
 * @param submittedAt when Ray accepted it
 */
public record Submitted(int schemaVersion, String jobId, String pool, boolean alreadySubmitted,
		Instant submittedAt) implements SubmitResult {

	public static final int SCHEMA_VERSION = 1;

	public Submitted {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

	public Submitted(String jobId, String pool, boolean alreadySubmitted, Instant submittedAt) {
		this(SCHEMA_VERSION, jobId, pool, alreadySubmitted, submittedAt);
	}

}
