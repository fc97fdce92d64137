package io.raylane.topics.events;

import java.time.Instant;

/**
 * An operator took a node out of draining (api → scheduler): it takes work again, and an
 * OFFLINE or FAILED node is provisioned again.
 *
 * @param schemaVersion version of this record's shape
 * @param nodeId the node id
 * @param pool the node's pool
 * @param by the admin
 * @param at when
 */
public record UndrainRequested(int schemaVersion, String nodeId, String pool, String by,
		Instant at) implements NodeEvent {

	public static final int SCHEMA_VERSION = 1;

	public UndrainRequested {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

}
