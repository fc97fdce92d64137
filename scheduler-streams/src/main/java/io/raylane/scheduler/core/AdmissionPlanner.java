package io.raylane.scheduler.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, for one pool, which queued jobs start now: gang (all-or-nothing) admission in strict FIFO order.
 * Pure Java over a snapshot; the topology feeds it the pool's nodes and the head of the queue and applies
 * the decisions (reserve GPUs, emit {@code SubmitToRay}).
 * <p>
 * Strict FIFO: the first job that does not fit blocks every later one, so a cycle never looks past it and
 * its cost is bounded by the window the caller passes, never by the queue length. Backfill and quotas are
 * later rules that grow here.
 */
public final class AdmissionPlanner {

	/** Among nodes that fit, the fullest first (best fit), then by id so a decision is reproducible. */
	private static final Comparator<PoolNode> BEST_FIT = Comparator.comparingInt(PoolNode::freeGpus)
		.thenComparing(PoolNode::nodeId);

	private AdmissionPlanner() {
	}

	/**
	 * Plans one cycle.
	 * @param pool the pool's nodes now
	 * @param heads the first queued jobs of the pool (a bounded window)
	 * @return one decision per job of {@code heads}, in FIFO order
	 */
	public static AdmissionPlan plan(PoolSnapshot pool, List<QueuedJob> heads) {
		// 1. heads in FIFO order
		List<QueuedJob> ordered = heads.stream().sorted(FifoOrder.ORDER).toList();
		// 2. a working copy of the snapshot's free GPUs, consumed by this cycle's admissions
		Map<String, Integer> free = new HashMap<>();
		pool.nodes().forEach((node) -> free.put(node.nodeId(), node.freeGpus()));
		List<Decision> decisions = new ArrayList<>();
		String blockedBy = null;
		for (QueuedJob job : ordered) {
			// 3. a job the pool can never hold does not block anyone: reject it whatever its place
			Optional<String> never = rejection(pool, job);
			if (never.isPresent()) {
				decisions.add(Decision.reject(job.jobId(), never.get()));
				continue;
			}
			// 4. strict FIFO: nobody passes the first job that waits
			if (blockedBy != null) {
				decisions.add(Decision.waiting(job.jobId(), Reasons.waitingBehind(blockedBy)));
				continue;
			}
			// 5. gang fit; admit, consuming the snapshot's GPUs
			List<String> chosen = gangFit(pool, free, job);
			if (chosen != null) {
				chosen.forEach((id) -> free.merge(id, -job.gpusPerNode(), Integer::sum));
				decisions.add(Decision.dispatch(job.jobId(), chosen));
			}
			else {
				// 6. record why the head waits; it now blocks the rest
				decisions.add(Decision.waiting(job.jobId(), waitReason(pool, free, job)));
				blockedBy = job.jobId();
			}
		}
		return new AdmissionPlan(decisions, blockedBy);
	}

	/**
	 * Why the pool can never hold {@code job}, judged on every node it knows, alive or dead; empty when it
	 * could. An empty pool rejects nothing: its nodes may not have been seen yet.
	 */
	public static Optional<String> rejection(PoolSnapshot pool, QueuedJob job) {
		if (pool.nodes().isEmpty()) {
			return Optional.empty();
		}
		long bigEnough = pool.nodes().stream().filter((node) -> node.gpus() >= job.gpusPerNode()).count();
		if (bigEnough >= job.nnodes()) {
			return Optional.empty();
		}
		return Optional.of(Reasons.neverFits(pool.pool(), job, bigEnough));
	}

	/** The distinct nodes to reserve for the gang, best fit first; null when the gang does not fit now. */
	private static List<String> gangFit(PoolSnapshot pool, Map<String, Integer> free, QueuedJob job) {
		List<String> chosen = pool.nodes()
			.stream()
			.filter(PoolNode::takesWork)
			.map((node) -> new PoolNode(node.nodeId(), node.gpus(), free.get(node.nodeId()), true, true))
			.filter((node) -> node.freeGpus() >= job.gpusPerNode())
			.sorted(BEST_FIT)
			.limit(job.nnodes())
			.map(PoolNode::nodeId)
			.toList();
		return (chosen.size() == job.nnodes()) ? chosen : null;
	}

	private static String waitReason(PoolSnapshot pool, Map<String, Integer> free, QueuedJob job) {
		if (pool.nodes().isEmpty()) {
			return Reasons.emptyPool(pool.pool());
		}
		long fitting = pool.nodes()
			.stream()
			.filter(PoolNode::takesWork)
			.filter((node) -> free.get(node.nodeId()) >= job.gpusPerNode())
			.count();
		return Reasons.notEnoughFree(pool.pool(), job, fitting);
	}

}
