package io.raylane.rayclient.wire;

import java.util.Map;

/**
 * One node of the State API ({@code GET /api/v0/nodes}); {@code state} is ALIVE or DEAD.
 */
public record RayNodeState(String nodeId, String nodeIp, Boolean isHeadNode, String state, String stateMessage,
		String nodeName, Map<String, Double> resourcesTotal, Map<String, String> labels, Long startTimeMs,
		Long endTimeMs) {

	public boolean alive() {
		return "ALIVE".equals(this.state);
	}

}
