package io.raylane.topics.events;

import java.time.Instant;

import io.raylane.topics.job.JobSpec;

/**
 * Run this spec for this user. The job id is chosen by the producer and is also Ray's
 * submission id.
 *
 * @param schemaVersion version of this record's shape
 * @param jobId the new job's id
 * @param user the owner
 * @param spec the JobSpec as accepted (defaults filled in)
 * @param acceptedAt when the producer accepted it; FIFO order in the pool follows it
 */
public record SubmitJob(int schemaVersion, String jobId, String user, JobSpec spec,
		Instant acceptedAt) implements JobCommand {

	public static final int SCHEMA_VERSION = 1;

	public SubmitJob {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

	public SubmitJob(String jobId, String user, JobSpec spec, Instant acceptedAt) {
		this(SCHEMA_VERSION, jobId, user, spec, acceptedAt);
	}

	@Override
	public String pool() {
		return (this.spec != null) ? this.spec.poolOrDefault() : null;
	}

}
