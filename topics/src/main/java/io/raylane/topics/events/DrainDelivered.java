package io.raylane.topics.events;

import java.time.Instant;

/**
 * The node-agent ran {@code ray drain-node} for a {@link DrainOnRay} (node-agent →
 * scheduler). Ray's answer only informs the node's reason: the drain goes on either way,
 * since Raylane places nothing on a draining node.
 *
 * @param schemaVersion version of this record's shape
 * @param nodeId the node id
 * @param pool the node's pool
 * @param host the host it ran on
 * @param rayNodeId Ray's id of the node that was drained
 * @param accepted Ray accepted the drain ({@code ray drain-node} exited 0)
 * @param exitCode its exit code, null when it never ran (host unreachable)
 * @param stdoutTail the last lines of its stdout
 * @param stderrTail the last lines of its stderr
 * @param reason why it was not accepted, when it was not
 * @param at when
 */
public record DrainDelivered(int schemaVersion, String nodeId, String pool, String host, String rayNodeId,
		boolean accepted, Integer exitCode, String stdoutTail, String stderrTail, String reason,
		Instant at) implements NodeEvent {

	public static final int SCHEMA_VERSION = 1;

	public DrainDelivered {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

}
