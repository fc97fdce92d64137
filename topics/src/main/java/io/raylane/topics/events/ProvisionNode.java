package io.raylane.topics.events;

import java.time.Instant;

import io.raylane.topics.node.NodeSpec;

/**
 * Start Ray on the node over SSH: {@code ray stop} first (whatever Ray ran there: the
 * remains of a raylet that died, or a start this command already made if it is
 * redelivered), then {@code ray start --address=<head> --node-ip-address=<ip> ...}.
 * Answered with {@link Provisioned} or {@link ProvisionFailed} on
 * {@code raylane.node-events}.
 *
 * @param schemaVersion version of this record's shape
 * @param nodeId the node id
 * @param pool the node's pool
 * @param spec the node's spec
 * @param attempt 1 for the first provisioning, then one more per retry (after FAILED, or
 * after Ray reported the node dead)
 * @param at when the scheduler asked
 */
public record ProvisionNode(int schemaVersion, String nodeId, String pool, NodeSpec spec, int attempt,
		Instant at) implements NodeCommand {

	public static final int SCHEMA_VERSION = 1;

	public ProvisionNode {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

}
