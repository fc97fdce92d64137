package io.raylane.topics.events;

import java.time.Instant;

/**
 * An operator asked to drain a node (api → scheduler): no new job lands on it; running
 * jobs finish, or are stopped at the deadline; then Ray is stopped on it.
 *
 * @param schemaVersion version of this record's shape
 * @param nodeId the node id
 * @param pool the node's pool
 * @param deadline when running jobs are stopped; null = wait for them
 * @param by the admin
 * @param at when
 */
public record DrainRequested(int schemaVersion, String nodeId, String pool, Instant deadline, String by,
		Instant at) implements NodeEvent {

	public static final int SCHEMA_VERSION = 1;

	public DrainRequested {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

}
