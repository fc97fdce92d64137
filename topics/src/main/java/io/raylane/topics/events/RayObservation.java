package io.raylane.topics.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What the observer saw on Ray, on {@code raylane.ray-observations} (key = job id): a
 * job's fields as Ray lists them ({@link JobObserved}, only changes are published), or
 * that Ray no longer lists a job Raylane holds on it ({@link JobLost}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = JobObserved.class, name = "JobObserved"),
		@JsonSubTypes.Type(value = JobLost.class, name = "JobLost") })
public sealed interface RayObservation permits JobObserved, JobLost {

	int schemaVersion();

	String jobId();

	String pool();

}
