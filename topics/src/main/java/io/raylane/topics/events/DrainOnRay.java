package io.raylane.topics.events;

import java.time.Instant;

import io.raylane.topics.node.NodeSpec;

/**
 * Tell Ray the node is draining, so Ray places no new work there while Raylane's jobs
 * finish: {@code ray drain-node --reason=DRAIN_NODE_REASON_PREEMPTION} over SSH on the
 * node (docs/reference/ray-http.md, "Drain"). Sent when a drain or a decommission starts
 * on a node that still runs jobs; {@link DrainNode} / {@link DecommissionNode} stop Ray
 * once they have left. Answered with {@link DrainDelivered}.
 *
 * @param schemaVersion version of this record's shape
 * @param nodeId the node id
 * @param pool the node's pool
 * @param spec the node's spec
 * @param rayNodeId Ray's (hex) id of the node, as the observer last saw it alive
 * @param message why, for Ray's {@code --reason-message} (shown in Ray's node state once
 * the node is gone)
 * @param deadline when Raylane stops the jobs still running there
 * ({@code --deadline-remaining-seconds}); null = no deadline
 * @param at when the scheduler asked
 */
public record DrainOnRay(int schemaVersion, String nodeId, String pool, NodeSpec spec, String rayNodeId, String message,
		Instant deadline, Instant at) implements NodeCommand {

	public static final int SCHEMA_VERSION = 1;

	public DrainOnRay {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

}
