package io.raylane.topics.events;

import java.time.Instant;

/**
 * The node-agent ran {@code ray start} on the node and it exited 0 (node-agent →
 * scheduler). The node becomes ONLINE once the observer sees it alive in Ray.
 *
 * @param schemaVersion version of this record's shape
 * @param nodeId the node id
 * @param pool the node's pool
 * @param host the host it ran on
 * @param exitCode ray start's exit code (0)
 * @param stdoutTail the last lines of its stdout
 * @param stderrTail the last lines of its stderr
 * @param attempts SSH attempts it took
 * @param at when
 */
public record Provisioned(int schemaVersion, String nodeId, String pool, String host, int exitCode, String stdoutTail,
		String stderrTail, int attempts, Instant at) implements NodeEvent {

	public static final int SCHEMA_VERSION = 1;

	public Provisioned {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

}
