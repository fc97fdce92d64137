package io.raylane.topics.events;

import java.time.Instant;

import io.raylane.topics.node.NodeSpec;

/**
 * The node leaves the fleet: stop Ray on it like {@link DrainNode}; the scheduler then
 * keeps it only as an OFFLINE, decommissioned record. Answered with
 * {@link Decommissioned}.
 *
 * @param schemaVersion version of this record's shape
 * @param nodeId the node id
 * @param pool the node's pool
 * @param spec the node's spec
 * @param at when the scheduler asked
 */
public record DecommissionNode(int schemaVersion, String nodeId, String pool, NodeSpec spec,
		Instant at) implements NodeCommand {

	public static final int SCHEMA_VERSION = 1;

	public DecommissionNode {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

}
