package io.raylane.topics.events;

import java.time.Instant;

import io.raylane.topics.node.NodeSpec;

/**
 * An operator registered a worker container (api → scheduler): the scheduler records it
 * REGISTERED and asks the node-agent to provision it.
 *
 * @param schemaVersion version of this record's shape
 * @param nodeId the node id (= spec.node_id)
 * @param pool the node's pool (= spec.pool)
 * @param spec the validated NodeSpec
 * @param by the admin who registered it
 * @param at when
 */
public record NodeRegistered(int schemaVersion, String nodeId, String pool, NodeSpec spec, String by,
		Instant at) implements NodeEvent {

	public static final int SCHEMA_VERSION = 1;

	public NodeRegistered {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

}
