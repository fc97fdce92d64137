package io.raylane.topics.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What the observer saw on Ray, on {@code raylane.ray-observations} (key = job id). Only
 * changes are published.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = JobObserved.class, name = "JobObserved") })
public sealed interface RayObservation permits JobObserved {

	int schemaVersion();

	String jobId();

	String pool();

}
