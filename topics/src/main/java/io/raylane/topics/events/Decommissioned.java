package io.raylane.topics.events;

import java.time.Instant;

/**
 * The node-agent ran {@code ray stop} (and {@code ray stop --force} if the grace period
 * passed) on the node (node-agent → scheduler). The node becomes OFFLINE.
 *
 * @param schemaVersion version of this record's shape
 * @param nodeId the node id
 * @param pool the node's pool
 * @param host the host
 * @param stopped ray stop exited 0 (Ray no longer runs there)
 * @param forced ray stop --force was needed
 * @param exitCode the last ray stop's exit code, null when none ran (host unreachable)
 * @param stdoutTail the last lines of its stdout
 * @param stderrTail the last lines of its stderr
 * @param reason why it could not stop Ray, when it could not
 * @param at when
 */
public record Decommissioned(int schemaVersion, String nodeId, String pool, String host, boolean stopped,
		boolean forced, Integer exitCode, String stdoutTail, String stderrTail, String reason,
		Instant at) implements NodeEvent {

	public static final int SCHEMA_VERSION = 1;

	public Decommissioned {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

}
