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
 * @param reason why, in the operator's words ({@code POST /v1/ops/drain_node}); null in
 * records written before issue 16 and from {@code POST /v1/nodes/{id}:drain}. Jobs
 * stopped at the deadline carry it in their reason
 */
public record DrainRequested(int schemaVersion, String nodeId, String pool, Instant deadline, String by, Instant at,
		String reason) implements NodeEvent {

	public static final int SCHEMA_VERSION = 1;

	public DrainRequested {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

	/** A drain without a reason (the fields before issue 16). */
	public DrainRequested(int schemaVersion, String nodeId, String pool, Instant deadline, String by, Instant at) {
		this(schemaVersion, nodeId, pool, deadline, by, at, null);
	}

}
