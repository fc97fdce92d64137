package io.raylane.topics.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The scheduler's decisions for the outside world, on {@code raylane.dispatch} (key = job
 * id). Only the scheduler writes them, in the same transaction as the state change that
 * caused them; the submitter carries them out.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = SubmitToRay.class, name = "SubmitToRay"),
		@JsonSubTypes.Type(value = StopOnRay.class, name = "StopOnRay") })
public sealed interface DispatchCommand permits SubmitToRay, StopOnRay {

	int schemaVersion();

	String jobId();

	String pool();

}
