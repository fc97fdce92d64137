package io.raylane.topics.events;

import java.time.Instant;

/**
 * The submitter gave up on a submission.
 *
 * @param schemaVersion version of this record's shape
 * @param jobId the job id
 * @param pool the pool
 * @param retryable whether the failure was transient (retries exhausted) rather than a
 * refusal
 * @param reason what went wrong, as Ray or the filesystem said it
 * @param failedAt when
 */
public record SubmitFailed(int schemaVersion, String jobId, String pool, boolean retryable, String reason,
		Instant failedAt) implements SubmitResult {

	public static final int SCHEMA_VERSION = 1;

	public SubmitFailed {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

	public SubmitFailed(String jobId, String pool, boolean retryable, String reason, Instant failedAt) {
		this(SCHEMA_VERSION, jobId, pool, retryable, reason, failedAt);
	}

}
