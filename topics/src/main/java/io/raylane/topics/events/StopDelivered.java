package io.raylane.topics.events;

import java.time.Instant;

/**
 * The submitter told Ray to stop the job. Ray's stop is fire-and-forget: the terminal
 * status arrives later as a {@link JobObserved}.
 *
 * @param schemaVersion version of this record's shape
 * @param jobId the job id
 * @param pool the pool
 * @param stopped Ray's answer: true when a live job was told to stop, false when it had
 * already ended or Ray does not know it
 * @param reason the reason of the StopOnRay
 * @param deliveredAt when
 */
public record StopDelivered(int schemaVersion, String jobId, String pool, boolean stopped, String reason,
		Instant deliveredAt) implements SubmitResult {

	public static final int SCHEMA_VERSION = 1;

	public StopDelivered {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

	public StopDelivered(String jobId, String pool, boolean stopped, String reason, Instant deliveredAt) {
		this(SCHEMA_VERSION, jobId, pool, stopped, reason, deliveredAt);
	}

}
