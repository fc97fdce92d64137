package io.raylane.scheduler.core;

/**
 * The human reasons the scheduler writes on JobViews. Kept together so the wording stays consistent and the
 * tests can name the exact text.
 */
public final class Reasons {

	private Reasons() {
	}

	public static String emptyPool(String pool) {
		return "pool '" + pool + "' has no nodes";
	}

	public static String waitingBehind(String headJobId) {
		return "waiting behind " + headJobId + " (first in queue)";
	}

	/** e.g. "needs 3 nodes with 4 free GPUs each; pool 'default' has 2 nodes with at least 4 GPUs". */
	public static String neverFits(String pool, QueuedJob job, long bigEnoughNodes) {
		if (job.gpusPerNode() == 0) {
			return "needs " + nodes(job.nnodes()) + "; pool '" + pool + "' has " + nodes(bigEnoughNodes);
		}
		return "needs " + gang(job) + "; pool '" + pool + "' has " + nodes(bigEnoughNodes) + " with at least "
				+ gpus(job.gpusPerNode());
	}

	/** e.g. "needs 2 nodes with 4 free GPUs each; pool 'default' has 1 node with 4 free GPUs now". */
	public static String notEnoughFree(String pool, QueuedJob job, long fittingNodes) {
		if (job.gpusPerNode() == 0) {
			return "needs " + job.nnodes() + " alive " + noun(job.nnodes(), "node") + "; pool '" + pool + "' has "
					+ fittingNodes + " alive " + noun(fittingNodes, "node") + " now";
		}
		return "needs " + gang(job) + "; pool '" + pool + "' has " + nodes(fittingNodes) + " with "
				+ job.gpusPerNode() + " free " + noun(job.gpusPerNode(), "GPU") + " now";
	}

	private static String gang(QueuedJob job) {
		return nodes(job.nnodes()) + " with " + job.gpusPerNode() + " free " + noun(job.gpusPerNode(), "GPU")
				+ ((job.nnodes() > 1) ? " each" : "");
	}

	private static String nodes(long count) {
		return count + " " + noun(count, "node");
	}

	private static String gpus(long count) {
		return count + " " + noun(count, "GPU");
	}

	private static String noun(long count, String singular) {
		return (count == 1) ? singular : singular + "s";
	}

}
