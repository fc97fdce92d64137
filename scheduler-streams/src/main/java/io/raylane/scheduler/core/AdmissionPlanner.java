package io.raylane.scheduler.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides, for one pool, which queued jobs start now: gang (all-or-nothing) admission in
 * FIFO order with reservation-based backfill, node selectors, per-user GPU quotas and the
 * Ray-head cap. Pure Java over a snapshot; the topology feeds it the pool's nodes, the
 * running jobs' deadlines and the head of the queue, and applies the decisions (reserve
 * GPUs, emit {@code SubmitToRay}, publish why the rest wait).
 * <p>
 * The rules (docs/scheduling.md has a worked example):
 * <ol>
 * <li>Jobs are taken in {@link FifoOrder}; a job the pool can never hold is rejected and
 * blocks nobody.</li>
 * <li>The first job that does not fit now gets a reservation: the earliest instant enough
 * matching nodes are free, sweeping the running jobs' deadlines (start + timeout, the
 * pool's default when none).</li>
 * <li>A later job starts now only if it fits now and cannot delay the reservation: it
 * ends (by its timeout) before the reserved start, or it only uses GPUs the reservation
 * does not need.</li>
 * <li>A job over its owner's quota waits with reason {@code quota} and neither gets nor
 * blocks a reservation.</li>
 * <li>Every waiting job gets its position and all of its reasons.</li>
 * <li>A job whose data makes a rule throw (a deadline past the clock's range) is rejected
 * with the reason; the others are planned as if it were not there.</li>
 * </ol>
 * Cost: the caller passes a bounded window; within it a job shape known not to fit is not
 * fitted again, and a fit reads the pool's {@link PoolIndex} in best-fit order only until
 * it has the gang, so a cycle costs about O(window x gang), never the queue's length nor,
 * without node selectors, the pool's size.
 */
public final class AdmissionPlanner {

	private AdmissionPlanner() {
	}

	/**
	 * Plans with no quota, no Ray-head cap and the default timeout (strict gang fit +
	 * backfill).
	 */
	public static AdmissionPlan plan(PoolSnapshot pool, List<QueuedJob> heads) {
		return plan(pool, heads, PlanLimits.none(Instant.EPOCH));
	}

	/**
	 * Plans one cycle over a snapshot (builds its index first; the topology keeps one
	 * index per pool instead).
	 */
	public static AdmissionPlan plan(PoolSnapshot pool, List<QueuedJob> heads, PlanLimits limits) {
		return plan(PoolIndex.of(pool), heads, limits);
	}

	/**
	 * Plans one cycle.
	 * @param pool the pool's nodes now and the running jobs' releases; not changed
	 * @param heads the first queued jobs of the pool (a bounded window)
	 * @param limits time, quotas, Ray-head slots and the default timeout
	 * @return one decision per job of {@code heads}, in FIFO order
	 */
	public static AdmissionPlan plan(PoolIndex pool, List<QueuedJob> heads, PlanLimits limits) {
		List<QueuedJob> ordered = heads.stream().sorted(FifoOrder.ORDER).toList();
		PlanningPass pass = new PlanningPass(pool, limits);
		List<Decision> decisions = new ArrayList<>();
		int position = 0;
		for (QueuedJob job : ordered) {
			// a job the pool can never hold does not block anyone: reject it whatever its
			// place (the index judges each shape once per change of the pool's nodes)
			Optional<String> never = pool.neverFits(job);
			if (never.isPresent()) {
				decisions.add(Decision.reject(job.jobId(), never.get()));
				continue;
			}
			Decision decision;
			try {
				decision = pass.decide(job, position + 1);
			}
			catch (RuntimeException ex) {
				// a job whose numbers break a rule (issue 12) is rejected, not the whole
				// pool stopped; decide changes the pass only once nothing can throw
				decisions.add(Decision.reject(job.jobId(), Reasons.unschedulable(ex)));
				continue;
			}
			if (decision.outcome() == Decision.Outcome.WAIT) {
				position++;
			}
			decisions.add(decision);
		}
		return new AdmissionPlan(decisions, pass.reservationHolder());
	}

	/**
	 * Why the pool can never hold {@code job}, judged on every node it knows (alive, dead
	 * or draining) that carries the job's selector labels; empty when it could. An empty
	 * pool rejects nothing: its nodes may not have been seen yet.
	 */
	public static Optional<String> rejection(PoolSnapshot pool, QueuedJob job) {
		return PoolIndex.of(pool).neverFits(job);
	}

}
