package io.raylane.topics.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * Facts about worker nodes, on {@code raylane.node-events} (key = node id). Written by
 * the observer (what Ray reports), the API (what an operator asked: register, drain,
 * undrain, decommission) and the node-agent (what {@code ray start},
 * {@code ray drain-node} and {@code ray stop} over SSH did); the scheduler owns node
 * state.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = NodeObserved.class, name = "NodeObserved"),
		@JsonSubTypes.Type(value = NodeRegistered.class, name = "NodeRegistered"),
		@JsonSubTypes.Type(value = DrainRequested.class, name = "DrainRequested"),
		@JsonSubTypes.Type(value = UndrainRequested.class, name = "UndrainRequested"),
		@JsonSubTypes.Type(value = DecommissionRequested.class, name = "DecommissionRequested"),
		@JsonSubTypes.Type(value = Provisioned.class, name = "Provisioned"),
		@JsonSubTypes.Type(value = ProvisionFailed.class, name = "ProvisionFailed"),
		@JsonSubTypes.Type(value = DrainDelivered.class, name = "DrainDelivered"),
		@JsonSubTypes.Type(value = Decommissioned.class, name = "Decommissioned"),
		@JsonSubTypes.Type(value = RayHeadRestarted.class, name = "RayHeadRestarted") })
public sealed interface NodeEvent permits NodeObserved, NodeRegistered, DrainRequested, UndrainRequested,
		DecommissionRequested, Provisioned, ProvisionFailed, DrainDelivered, Decommissioned, RayHeadRestarted {

	int schemaVersion();

	String nodeId();

	String pool();

}
