package io.raylane.scheduler.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.raylane.topics.job.WaitReason;

/**
 * The human reasons the scheduler writes on JobViews. Kept together so the wording stays
 * consistent and the tests can name the exact text.
 */
public final class Reasons {

	private Reasons() {
	}

	/**
	 * Who stopped a job, and why when the stop said more than a user's plain stop
	 * ({@code user}, the API's default): {@code bob}, or
	 * {@code scheduler: the drain deadline of node gpu-1 passed (drain reason: …)} (issue
	 * 16: a job stopped by a drain deadline or a Ray head restart tells its owner why).
	 * It follows "stopped by" / "stop requested by" in the job's reason.
	 */
	public static String stoppedBy(String by, String reason) {
		String who = (by != null) ? by : "unknown";
		if (reason == null || reason.isBlank() || "user".equals(reason)) {
			return who;
		}
		return who + ": " + reason;
	}

	public static String emptyPool(String pool) {
		return "pool '" + pool + "' has no nodes";
	}

	public static String waitingBehind(String headJobId) {
		return "waiting behind " + headJobId + " (first in queue)";
	}

	/**
	 * e.g. "needs 3 nodes with 4 free GPUs each; pool 'default' has 2 nodes with at least
	 * 4 GPUs".
	 */
	public static String neverFits(String pool, QueuedJob job, long bigEnoughNodes) {
		if (job.gpusPerNode() == 0) {
			return "needs " + nodes(job.nnodes()) + "; pool '" + pool + "' has " + nodes(bigEnoughNodes);
		}
		return "needs " + gang(job) + "; pool '" + pool + "' has " + nodes(bigEnoughNodes) + " with at least "
				+ gpus(job.gpusPerNode());
	}

	/**
	 * e.g. "needs 2 nodes with 4 free GPUs each; pool 'default' has 1 node with 4 free
	 * GPUs now".
	 */
	public static String notEnoughFree(String pool, QueuedJob job, long fittingNodes) {
		if (job.gpusPerNode() == 0) {
			return "needs " + job.nnodes() + " alive " + noun(job.nnodes(), "node") + "; pool '" + pool + "' has "
					+ fittingNodes + " alive " + noun(fittingNodes, "node") + " now";
		}
		return "needs " + gang(job) + "; pool '" + pool + "' has " + nodes(fittingNodes) + " with " + job.gpusPerNode()
				+ " free " + noun(job.gpusPerNode(), "GPU") + " now";
	}

	/**
	 * A job whose data made a scheduling rule throw (issue 12): it ends with what broke,
	 * and the pool goes on.
	 */
	public static String unschedulable(RuntimeException ex) {
		String detail = (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
		return "could not be scheduled: " + detail;
	}

	/** Issue 12: the owner's cap on jobs queued or running ({@code max_jobs}). */
	public static String tooManyJobs(int active, int limit) {
		return "its owner has " + active + " jobs queued or running, the most one user may have (max_jobs: " + limit
				+ ")";
	}

	public static String timedOut(String timeout) {
		return "timed out after " + timeout;
	}

	/** The reason code a job Ray no longer knows ends with (issue 11 item 4). */
	public static final String RAY_LOST_JOB = "ray_lost_job";

	/**
	 * e.g. "ray_lost_job: Ray no longer knows this job (head restarted?); absent from
	 * Ray's job list since 2026-01-01T00:00:00Z".
	 */
	public static String rayLostJob(Instant missingSince) {
		return RAY_LOST_JOB + ": Ray no longer knows this job (head restarted?); absent from Ray's job list since "
				+ missingSince;
	}

	public static String queuedTooLong(String limit) {
		return "queued longer than " + limit + " (raylane.scheduler.max-queued-time)";
	}

	public static String submitFailed(String reason) {
		return "submit failed: " + reason;
	}

	/** A retryable submit failure that lasted longer than the retry period. */
	public static String submitFailedAfterRetries(String reason, String period, int failures) {
		return submitFailed(reason) + " (" + failures + " " + noun(failures, "failure") + " in " + period
				+ ", raylane.scheduler.submit-retry-period)";
	}

	/**
	 * e.g. "submit failed (Ray unavailable after 5 attempts: ...); submitting again at
	 * 2026-01-01T00:10:05Z".
	 */
	public static WaitReason rayUnavailable(String reason, Instant at) {
		return new WaitReason(RAY_UNAVAILABLE, "submit failed (" + reason + "); submitting again at " + at);
	}

	/** Wait-reason codes, as published in {@code JobView.reasons[].code}. */
	public static final String INSUFFICIENT_NODES = "insufficient_nodes";

	public static final String RESERVATION = "reservation";

	public static final String QUOTA = "quota";

	public static final String POOL_EMPTY = "pool_empty";

	public static final String POOL_DRAINING = "pool_draining";

	public static final String RAY_HEAD_CAPACITY = "ray_head_capacity";

	/** Issue 12: the owner's share of the Ray head is used up. */
	public static final String RAY_HEAD_SHARE = "ray_head_share";

	public static final String FIFO = "fifo";

	/**
	 * Issue 14 item 3: the gang would fit but for GPUs that Ray jobs or actors Raylane
	 * did not submit hold.
	 */
	public static final String HELD_OUTSIDE = "held_outside";

	/**
	 * A DISPATCHED job whose submission failed for a transient reason waits to be
	 * submitted again.
	 */
	public static final String RAY_UNAVAILABLE = "ray_unavailable";

	/**
	 * e.g. "its owner holds 8 of 8 GPUs (quota)". Never the owner's name: every user
	 * reads the reasons of every queued job ({@code GET /v1/queue}, issue 12).
	 */
	public static WaitReason quota(int held, int quota) {
		return new WaitReason(QUOTA, "its owner holds " + held + " of " + quota + " GPUs (quota)");
	}

	public static WaitReason reservation(String holder) {
		return new WaitReason(RESERVATION, "held for the reservation of job " + holder);
	}

	/**
	 * Issue 12: the job's owner has as many jobs on the Ray head as one user may
	 * ({@code max_ray_jobs}). The detail names no user: every user sees the queue.
	 */
	public static WaitReason rayHeadShare(int held, int limit) {
		return new WaitReason(RAY_HEAD_SHARE,
				"its owner has " + held + " of " + limit + " jobs one user may have on the Ray head (max_ray_jobs)");
	}

	public static WaitReason rayHeadCapacity() {
		return new WaitReason(RAY_HEAD_CAPACITY,
				"the Ray head runs its maximum of active Raylane jobs (raylane.scheduler.max-active-ray-jobs)");
	}

	/**
	 * Behind the planner's window: the job's reasons are computed once it comes into
	 * view.
	 */
	public static WaitReason fifo(String headJobId) {
		return new WaitReason(FIFO, waitingBehind(headJobId));
	}

	/**
	 * Why a gang does not fit in the free GPUs now: the pool is empty, draining, or short
	 * of matching nodes ("needs 2 nodes with 4 free GPUs; has 1 of 2"), or GPUs held
	 * outside Raylane keep it out. {@code overrides}: the free GPUs of the nodes this
	 * planning pass already changed (else the index's).
	 */
	static WaitReason noFit(PoolIndex pool, QueuedJob job, int fitting, Map<String, Integer> overrides) {
		if (pool.isEmpty()) {
			return new WaitReason(POOL_EMPTY, emptyPool(pool.pool()));
		}
		if (!pool.anyTakesWork() && pool.anyDraining()) {
			return new WaitReason(POOL_DRAINING, "pool '" + pool.pool() + "' is draining: no node takes new work");
		}
		String labels = job.nodeSelector().isEmpty() ? "" : " labelled " + new TreeMap<>(job.nodeSelector());
		String need = (job.gpusPerNode() == 0) ? nodes(job.nnodes()) + labels + " alive"
				: nodes(job.nnodes()) + labels + " with " + gpus(job.gpusPerNode()) + " free";
		String shortOf = "needs " + need + "; has " + fitting + " of " + job.nnodes();
		// issue 14 item 3: say so when GPUs Ray jobs Raylane did not submit hold are what
		// keeps the gang out
		java.util.function.ToIntFunction<PoolNode> free = (node) -> {
			Integer changed = overrides.get(node.nodeId());
			return (changed != null) ? changed : node.freeGpus();
		};
		// only nodes that take work with GPUs held outside can block (the index keeps
		// them
		// apart, so this does not read the whole pool)
		if (pool.takingWorkWithHeldOutside().isEmpty()) {
			return new WaitReason(INSUFFICIENT_NODES, shortOf);
		}
		List<PoolNode> blocking = pool.takingWorkWithHeldOutside()
			.stream()
			.filter((node) -> node.matches(job.nodeSelector()))
			.filter((node) -> free.applyAsInt(node) < job.gpusPerNode())
			.filter((node) -> free.applyAsInt(node) + node.heldOutside() >= job.gpusPerNode())
			.sorted(java.util.Comparator.comparing(PoolNode::nodeId))
			.toList();
		if (!blocking.isEmpty()) {
			int held = blocking.stream().mapToInt(PoolNode::heldOutside).sum();
			String on = blocking.stream().map(PoolNode::nodeId).collect(java.util.stream.Collectors.joining(", "));
			return new WaitReason(HELD_OUTSIDE, shortOf + ": " + gpus(held) + " on " + noun(blocking.size(), "node")
					+ " " + on + " " + HELD_OUTSIDE_WORDS + " (Ray jobs or actors Raylane did not submit)");
		}
		return new WaitReason(INSUFFICIENT_NODES, shortOf);
	}

	/**
	 * The words every reason about GPUs used outside Raylane carries (issue 14 item 3).
	 */
	public static final String HELD_OUTSIDE_WORDS = "held outside Raylane";

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
