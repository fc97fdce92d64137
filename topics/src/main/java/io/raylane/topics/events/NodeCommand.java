package io.raylane.topics.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import io.raylane.topics.node.NodeSpec;

/**
 * Commands for the node-agent, on {@code raylane.node-commands} (key = node id). Written
 * by the scheduler, which owns node state and decides when a node is provisioned (on
 * registration, on a retry, after Ray reported it dead), when Ray is told that it drains,
 * and when Ray is stopped on it (a drain that finished, a decommission). The API writes
 * one: {@link RestartRayHead} (an operator's restart of the Ray head). Each carries the
 * whole NodeSpec, so the agent keeps no state.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = ProvisionNode.class, name = "ProvisionNode"),
		@JsonSubTypes.Type(value = DrainOnRay.class, name = "DrainOnRay"),
		@JsonSubTypes.Type(value = DrainNode.class, name = "DrainNode"),
		@JsonSubTypes.Type(value = DecommissionNode.class, name = "DecommissionNode"),
		@JsonSubTypes.Type(value = RestartRayHead.class, name = "RestartRayHead") })
public sealed interface NodeCommand permits ProvisionNode, DrainOnRay, DrainNode, DecommissionNode, RestartRayHead {

	int schemaVersion();

	String nodeId();

	String pool();

	NodeSpec spec();

}
