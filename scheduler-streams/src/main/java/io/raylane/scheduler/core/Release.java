package io.raylane.scheduler.core;

import java.time.Instant;

/**
 * GPUs a running job gives back on one node at its deadline (start + timeout, the pool's
 * default timeout when the job set none). The planner sweeps these in time order to find
 * when a blocked gang could start.
 *
 * @param nodeId the node
 * @param jobId the job holding the GPUs
 * @param gpus how many GPUs come back
 * @param at the job's deadline, the latest moment the GPUs are back
 */
public record Release(String nodeId, String jobId, int gpus, Instant at) {
}
