package io.raylane.topics.job;

/**
 * Checkpointing of a verl workload.
 *
 * @param saveFreq save every N steps
 * @param keepLast how many {@code global_step_*} folders Raylane keeps
 */
public record CheckpointSpec(Integer saveFreq, Integer keepLast) {
}
