package io.raylane.topics.events;

import java.time.Instant;
import java.util.Map;

/**
 * A Ray worker node as the State API reports it ({@code GET /api/v0/nodes}), published
 * when it changes. Only nodes with a {@code raylane-pool-<pool>} resource are workers;
 * the head never is.
 *
 * @param schemaVersion version of this record's shape
 * @param nodeId Ray's node id (hex)
 * @param nodeIp the node's IP
 * @param pool the pool, from the node's {@code raylane-pool-<pool>} resource
 * @param alive Ray's state is ALIVE
 * @param gpus the node's GPU total
 * @param labels the node's Ray labels
 * @param observedAt when the observer saw it
 * @param gpusHeldOutside GPUs of the node that Ray jobs or actors Raylane did not submit
 * hold (issue 14 item 3: placement groups and actors of foreign jobs, from Ray's State
 * API); 0 when none or not known
 */
public record NodeObserved(int schemaVersion, String nodeId, String nodeIp, String pool, boolean alive, int gpus,
		Map<String, String> labels, Instant observedAt, int gpusHeldOutside) implements NodeEvent {

	public static final int SCHEMA_VERSION = 1;

	public NodeObserved {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
		labels = (labels != null) ? Map.copyOf(labels) : Map.of();
		gpusHeldOutside = Math.max(0, gpusHeldOutside);
	}

	/** A node with no GPU held outside Raylane. */
	public NodeObserved(int schemaVersion, String nodeId, String nodeIp, String pool, boolean alive, int gpus,
			Map<String, String> labels, Instant observedAt) {
		this(schemaVersion, nodeId, nodeIp, pool, alive, gpus, labels, observedAt, 0);
	}

}
