package io.raylane.topics.events;

import java.time.Instant;

/**
 * An operator removes a node from the fleet (api → scheduler): it drains (no deadline),
 * Ray is stopped on it, and it ends OFFLINE and decommissioned.
 *
 * @param schemaVersion version of this record's shape
 * @param nodeId the node id
 * @param pool the node's pool
 * @param by the admin
 * @param at when
 */
public record DecommissionRequested(int schemaVersion, String nodeId, String pool, String by,
		Instant at) implements NodeEvent {

	public static final int SCHEMA_VERSION = 1;

	public DecommissionRequested {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

}
