package io.raylane.topics.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Facts about worker nodes, on {@code raylane.node-events} (key = node id). Written by the observer (and,
 * with the fleet issue, the API and node-agent); the scheduler owns node state.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = NodeObserved.class, name = "NodeObserved") })
public sealed interface NodeEvent permits NodeObserved {

	int schemaVersion();

	String nodeId();

	String pool();

}
