package io.raylane.topics.events;

import java.time.Instant;

/**
 * Ray no longer knows a job Raylane holds on it: the job was {@code SUBMITTED} or
 * {@code RUNNING} in {@code raylane.job-states}, yet every answer Ray gave to
 * {@code GET /api/jobs/} for at least {@code raylane.observer.lost-job-grace} left it out
 * (issue 11: a head restarted without GCS fault tolerance forgets its whole job table,
 * and the job's processes died with the head's cluster). Failed answers never count as
 * "left out". The scheduler ends the job and releases its GPUs; it never submits it again
 * (it may have run in part).
 *
 * @param schemaVersion version of this record's shape
 * @param jobId the job id (Ray's submission id)
 * @param pool the job's pool
 * @param lastStatus the job's status in {@code raylane.job-states} when the observer gave
 * up on it
 * @param missingSince the first successful answer of Ray that did not list the job
 * @param observedAt when the observer decided the job is lost
 */
public record JobLost(int schemaVersion, String jobId, String pool, String lastStatus, Instant missingSince,
		Instant observedAt) implements RayObservation {

	public static final int SCHEMA_VERSION = 1;

	public JobLost {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

	public JobLost(String jobId, String pool, String lastStatus, Instant missingSince, Instant observedAt) {
		this(SCHEMA_VERSION, jobId, pool, lastStatus, missingSince, observedAt);
	}

}
