package io.raylane.raystandin;

import java.util.Map;

import io.raylane.rayclient.wire.RayNodeState;

/**
 * One node of the local cluster as the head's node table (Ray's GCS) knows it. Immutable;
 * leaving produces a DEAD copy that stays listed, as in Ray.
 */
record LocalNode(String nodeId, String ip, boolean head, Map<String, Double> resourcesTotal, Map<String, String> labels,
		boolean alive, String stateMessage, long startTimeMs, Long endTimeMs) {

	static final String HEAD_RESOURCE = "node:__internal_head__";

	LocalNode {
		resourcesTotal = Map.copyOf(resourcesTotal);
		labels = Map.copyOf(labels);
	}

	LocalNode dead(String message, long nowMs) {
		return new LocalNode(this.nodeId, this.ip, this.head, this.resourcesTotal, this.labels, false, message,
				this.startTimeMs, nowMs);
	}

	RayNodeState toRay() {
		// Ray answers end_time_ms 0, not null, while a node is ALIVE
		return new RayNodeState(this.nodeId, this.ip, this.head, this.alive ? "ALIVE" : "DEAD", this.stateMessage,
				this.ip, this.resourcesTotal, this.labels, this.startTimeMs,
				this.alive ? Long.valueOf(0) : this.endTimeMs);
	}

	/** The dashboard agent address Ray reports as {@code driver_agent_http_address}. */
	String agentAddress() {
		return "http://" + this.ip + ":52365";
	}

}
