package io.raylane.topics.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Commands about jobs, on {@code raylane.job-commands} (key = job id). Written by the API
 * or any producer; the scheduler turns them into state. Every command names the pool, so
 * the topology can re-key by pool.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = SubmitJob.class, name = "SubmitJob"),
		@JsonSubTypes.Type(value = StopJob.class, name = "StopJob") })
public sealed interface JobCommand permits SubmitJob, StopJob {

	int schemaVersion();

	String jobId();

	String pool();

}
