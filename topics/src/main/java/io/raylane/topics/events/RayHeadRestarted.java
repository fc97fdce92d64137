package io.raylane.topics.events;

import java.time.Instant;
import java.util.List;

/**
 * What the node-agent did for a {@link RestartRayHead}: whether the head started again,
 * and for each worker whether {@code ray start --address} joined it again. The scheduler
 * ignores it (Ray's own reports, NodeObserved, move the nodes); the API shows it as the
 * operation's outcome.
 *
 * @param schemaVersion version of this record's shape
 * @param nodeId the head's node id
 * @param pool the head's pool
 * @param operationId the operation it answers
 * @param headStarted true when {@code ray start --head} succeeded
 * @param reason why the head did not start (the exit code, the last line of stderr), or
 * null
 * @param workers one outcome per worker, in the command's order (empty when the head did
 * not start: no worker is touched then)
 * @param at when the agent finished
 */
public record RayHeadRestarted(int schemaVersion, String nodeId, String pool, String operationId, boolean headStarted,
		String reason, List<WorkerRestart> workers, Instant at) implements NodeEvent {

	public static final int SCHEMA_VERSION = 1;

	public RayHeadRestarted {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
		workers = (workers != null) ? List.copyOf(workers) : List.of();
	}

	/**
	 * One worker's re-provisioning.
	 *
	 * @param nodeId the worker's node id
	 * @param started true when {@code ray start --address} succeeded
	 * @param reason why not, or null
	 */
	public record WorkerRestart(String nodeId, boolean started, String reason) {
	}

}
