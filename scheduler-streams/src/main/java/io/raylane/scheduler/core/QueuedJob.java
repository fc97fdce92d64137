package io.raylane.scheduler.core;

import java.time.Instant;

import io.raylane.topics.job.Resources;

/**
 * A job waiting in its pool's queue, reduced to what admission needs: its place in the FIFO order and its
 * gang shape.
 *
 * @param jobId the job id
 * @param acceptedAt when the job was accepted; FIFO order follows it
 * @param nnodes distinct nodes the gang needs
 * @param gpusPerNode free GPUs the gang needs on each of those nodes
 */
public record QueuedJob(String jobId, Instant acceptedAt, int nnodes, int gpusPerNode) {

	public static QueuedJob of(String jobId, Instant acceptedAt, Resources resources) {
		return new QueuedJob(jobId, acceptedAt, resources.nodes(), resources.gpusPerNode());
	}

}
