package io.raylane.topics.events;

import java.time.Instant;

import io.raylane.topics.node.NodeSpec;

/**
 * The node finished draining (no job holds it any more, or its drain deadline passed):
 * stop Ray on it with {@code ray stop}, then {@code ray stop --force} after the grace
 * period (Ray was told of the drain by {@link DrainOnRay} when jobs still ran there). The
 * node stays registered (OFFLINE; an undrain provisions it again). Answered with
 * {@link Decommissioned}.
 *
 * @param schemaVersion version of this record's shape
 * @param nodeId the node id
 * @param pool the node's pool
 * @param spec the node's spec
 * @param deadline the drain deadline the operator gave, if any (information for the
 * agent's log)
 * @param at when the scheduler asked
 */
public record DrainNode(int schemaVersion, String nodeId, String pool, NodeSpec spec, Instant deadline,
		Instant at) implements NodeCommand {

	public static final int SCHEMA_VERSION = 1;

	public DrainNode {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

}
