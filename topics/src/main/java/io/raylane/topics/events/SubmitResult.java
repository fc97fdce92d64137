package io.raylane.topics.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What the submitter did with a dispatch command, on {@code raylane.submit-results} (key
 * = job id).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = Submitted.class, name = "Submitted"),
		@JsonSubTypes.Type(value = SubmitFailed.class, name = "SubmitFailed"),
		@JsonSubTypes.Type(value = StopDelivered.class, name = "StopDelivered") })
public sealed interface SubmitResult permits Submitted, SubmitFailed, StopDelivered {

	int schemaVersion();

	String jobId();

	String pool();

}
