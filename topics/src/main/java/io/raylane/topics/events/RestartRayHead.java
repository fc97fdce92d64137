package io.raylane.topics.events;

import java.time.Instant;
import java.util.List;

import io.raylane.topics.node.NodeSpec;

/**
 * An operator restarts the Ray head ({@code POST /v1/ops/restart_ray_head}; api →
 * node-agent, key = the head's node id): on the head {@code ray stop}, then
 * {@code ray start --head}; then on each worker {@code ray stop} and
 * {@code ray start --address} again, in that order, in one command so no worker tries to
 * join a head that is not back yet. Answered with {@link RayHeadRestarted}. The jobs were
 * dealt with by the API before (running ones stopped with the reason); those that had not
 * reached Ray are submitted again by the scheduler's usual retry once the head answers.
 *
 * @param schemaVersion version of this record's shape
 * @param nodeId the head's node id
 * @param pool the head's pool
 * @param spec the head's spec (role head)
 * @param workers the worker nodes to re-provision after the head is back
 * @param operationId the id {@code GET /v1/ops/operations/{id}} answers under
 * @param by the admin
 * @param at when
 */
public record RestartRayHead(int schemaVersion, String nodeId, String pool, NodeSpec spec, List<NodeSpec> workers,
		String operationId, String by, Instant at) implements NodeCommand {

	public static final int SCHEMA_VERSION = 1;

	public RestartRayHead {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
		workers = (workers != null) ? List.copyOf(workers) : List.of();
	}

}
