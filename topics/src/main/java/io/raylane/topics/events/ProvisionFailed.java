package io.raylane.topics.events;

import java.time.Instant;

/**
 * The node-agent could not start Ray on the node (node-agent → scheduler): SSH refused
 * (host key, auth), the host was unreachable after retries, or {@code ray start} exited
 * non-zero. The node becomes FAILED with this reason.
 *
 * @param schemaVersion version of this record's shape
 * @param nodeId the node id
 * @param pool the node's pool
 * @param host the host
 * @param reason what went wrong, for an operator (never key material)
 * @param exitCode ray start's exit code, null when it never ran
 * @param stdoutTail the last lines of its stdout (may be empty)
 * @param stderrTail the last lines of its stderr (may be empty)
 * @param attempts SSH attempts made
 * @param at when
 */
public record ProvisionFailed(int schemaVersion, String nodeId, String pool, String host, String reason,
		Integer exitCode, String stdoutTail, String stderrTail, int attempts, Instant at) implements NodeEvent {

	public static final int SCHEMA_VERSION = 1;

	public ProvisionFailed {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

}
