package io.raylane.scheduler.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.raylane.topics.job.Resources;

/**
 * A job waiting in its pool's queue, reduced to what admission needs: its place in the
 * FIFO order, its gang shape, its owner (for quotas), its node selector and its timeout
 * (for backfill).
 *
 * @param jobId the job id
 * @param acceptedAt when the job was accepted; FIFO order follows it
 * @param nnodes distinct nodes the gang needs
 * @param gpusPerNode free GPUs the gang needs on each of those nodes
 * @param user the owner, whose GPU quota applies; null for none
 * @param nodeSelector labels every node of the gang must carry
 * @param timeout the job's wall-clock limit; null means the pool's default
 */
public record QueuedJob(String jobId, Instant acceptedAt, int nnodes, int gpusPerNode, String user,
		Map<String, String> nodeSelector, Duration timeout) {

	public QueuedJob {
		nodeSelector = (nodeSelector != null) ? Map.copyOf(nodeSelector) : Map.of();
	}

	public QueuedJob(String jobId, Instant acceptedAt, int nnodes, int gpusPerNode) {
		this(jobId, acceptedAt, nnodes, gpusPerNode, null, Map.of(), null);
	}

	public static QueuedJob of(String jobId, Instant acceptedAt, Resources resources) {
		return new QueuedJob(jobId, acceptedAt, resources.nodes(), resources.gpusPerNode());
	}

	public int totalGpus() {
		return this.nnodes * this.gpusPerNode;
	}

	/** What decides whether a job fits: two jobs of one shape fit, or not, alike. */
	Shape shape() {
		return new Shape(this.nnodes, this.gpusPerNode, this.nodeSelector);
	}

	record Shape(int nnodes, int gpusPerNode, Map<String, String> selector) {
	}

}
