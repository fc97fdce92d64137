package io.raylane.scheduler.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeMap;

import io.raylane.topics.job.WaitReason;

/**
 * Test reference, not production code: the admission planner as it was before the pool
 * index (issue 17), kept verbatim in its logic (a fresh copy and sort of the pool per
 * cycle). {@link IndexedPlanTest} checks that the indexed planner decides exactly as this
 * one does.
 */
final class ReferencePlanner {

	private ReferencePlanner() {
	}

	static AdmissionPlan plan(PoolSnapshot pool, List<QueuedJob> heads, PlanLimits limits) {
		List<QueuedJob> ordered = heads.stream().sorted(FifoOrder.ORDER).toList();
		Pass pass = new Pass(pool, limits);
		List<Decision> decisions = new ArrayList<>();
		int position = 0;
		Map<QueuedJob.Shape, Optional<String>> rejections = new HashMap<>();
		for (QueuedJob job : ordered) {
			Optional<String> never = rejections.computeIfAbsent(job.shape(), (shape) -> rejection(pool, job));
			if (never.isPresent()) {
				decisions.add(Decision.reject(job.jobId(), never.get()));
				continue;
			}
			Decision decision;
			try {
				decision = pass.decide(job, position + 1);
			}
			catch (RuntimeException ex) {
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

	static Optional<String> rejection(PoolSnapshot pool, QueuedJob job) {
		if (pool.nodes().isEmpty()) {
			return Optional.empty();
		}
		long bigEnough = pool.nodes()
			.stream()
			.filter((node) -> node.matches(job.nodeSelector()))
			.filter((node) -> node.gpus() >= job.gpusPerNode())
			.count();
		if (bigEnough >= job.nnodes()) {
			return Optional.empty();
		}
		return Optional.of(Reasons.neverFits(pool.pool(), job, bigEnough));
	}

	static WaitReason noFit(PoolSnapshot pool, QueuedJob job, Map<String, Integer> free) {
		if (pool.nodes().isEmpty()) {
			return new WaitReason(Reasons.POOL_EMPTY, Reasons.emptyPool(pool.pool()));
		}
		boolean anyTakesWork = pool.nodes().stream().anyMatch(PoolNode::takesWork);
		if (!anyTakesWork && pool.nodes().stream().anyMatch(PoolNode::isDraining)) {
			return new WaitReason(Reasons.POOL_DRAINING,
					"pool '" + pool.pool() + "' is draining: no node takes new work");
		}
		long fitting = pool.nodes()
			.stream()
			.filter(PoolNode::takesWork)
			.filter((node) -> node.matches(job.nodeSelector()))
			.filter((node) -> free.getOrDefault(node.nodeId(), 0) >= job.gpusPerNode())
			.count();
		String labels = job.nodeSelector().isEmpty() ? "" : " labelled " + new TreeMap<>(job.nodeSelector());
		String need = (job.gpusPerNode() == 0) ? count(job.nnodes(), "node") + labels + " alive"
				: count(job.nnodes(), "node") + labels + " with " + count(job.gpusPerNode(), "GPU") + " free";
		return new WaitReason(Reasons.INSUFFICIENT_NODES, "needs " + need + "; has " + fitting + " of " + job.nnodes());
	}

	private static String count(long n, String noun) {
		return n + " " + noun + ((n == 1) ? "" : "s");
	}

	static final class Pass {

		/**
		 * Among nodes that fit, the fullest first (best fit), then by id so a decision is
		 * reproducible.
		 */
		private static final Comparator<Map.Entry<String, Integer>> BEST_FIT = Map.Entry
			.<String, Integer>comparingByValue()
			.thenComparing(Map.Entry.comparingByKey());

		private final PoolSnapshot pool;

		private final PlanLimits limits;

		private final Map<String, PoolNode> nodes = new HashMap<>();

		private final Map<String, Integer> free = new HashMap<>();

		private final Map<String, Integer> held;

		/** Jobs each user has on the Ray head, this pass's admissions included. */
		private final Map<String, Integer> rayJobs;

		private int slots;

		private final List<Release> releases;

		private Reservation reservation;

		/**
		 * Placements found since the last admission, per shape and capacity (free or
		 * spare): until GPUs are consumed again, a job of the same shape gets the same
		 * answer, so a window of jobs held back by the Ray head or a reservation costs
		 * one fit per shape, not one per job.
		 */
		private final Map<List<Object>, Optional<List<String>>> placements = new HashMap<>();

		/**
		 * Shapes that do not fit in the free GPUs; admissions only consume GPUs, so they
		 * stay unfit all pass.
		 */
		private final Map<QueuedJob.Shape, WaitReason> unfit = new HashMap<>();

		Pass(PoolSnapshot pool, PlanLimits limits) {
			this.pool = pool;
			this.limits = limits;
			for (PoolNode node : pool.nodes()) {
				this.nodes.put(node.nodeId(), node);
				if (node.takesWork()) {
					this.free.put(node.nodeId(), node.freeGpus());
				}
			}
			this.held = new HashMap<>(limits.gpusHeld());
			this.rayJobs = new HashMap<>(limits.rayJobsHeld());
			this.slots = limits.rayHeadSlots();
			this.releases = new ArrayList<>(pool.releases());
		}

		String reservationHolder() {
			return (this.reservation != null) ? this.reservation.jobId() : null;
		}

		Decision decide(QueuedJob job, int position) {
			List<WaitReason> reasons = new ArrayList<>();
			// 1. quota: a job over it waits, and neither takes nor blocks a reservation
			Integer quota = this.limits.quotas().limitOf(job.user());
			int userHeld = this.held.getOrDefault(job.user(), 0);
			boolean overQuota = quota != null && job.totalGpus() > 0 && userHeld + job.totalGpus() > quota;
			if (overQuota) {
				reasons.add(Reasons.quota(userHeld, quota));
			}
			// 2. gang fit in the free GPUs (skipped for a shape already known not to fit)
			WaitReason unfitReason = this.unfit.get(job.shape());
			List<String> placement = (unfitReason == null) ? placement(job, false) : null;
			boolean fitsNow = placement != null;
			if (!fitsNow) {
				unfitReason = (unfitReason != null) ? unfitReason : noFit(this.pool, job, this.free);
				this.unfit.put(job.shape(), unfitReason);
				reasons.add(unfitReason);
			}
			// 3. backfill: past a reservation, a job that may outlive its start uses only
			// GPUs it does not need
			if (fitsNow && this.reservation != null && !endsBefore(job, this.reservation.start())) {
				placement = placement(job, true);
				if (placement == null) {
					reasons.add(Reasons.reservation(this.reservation.jobId()));
				}
			}
			// 4. the Ray head's cap on active jobs
			if (this.slots <= 0) {
				reasons.add(Reasons.rayHeadCapacity());
			}
			// 5. the owner's share of the Ray head (issue 12: one user's 0-GPU jobs held
			// every
			// slot); like a quota, it neither takes nor blocks a reservation
			int userRayJobs = this.rayJobs.getOrDefault(job.user(), 0);
			boolean overShare = !this.limits.rayJobCaps().allows(job.user(), userRayJobs, 1);
			if (overShare) {
				reasons.add(Reasons.rayHeadShare(userRayJobs, this.limits.rayJobCaps().limitOf(job.user())));
			}
			if (reasons.isEmpty()) {
				admit(job, placement);
				return Decision.dispatch(job.jobId(), placement);
			}
			// 6. the first job that does not fit (and is over no per-user cap) gets the
			// reservation
			Instant estimate = null;
			if (!fitsNow && !overQuota && !overShare && this.reservation == null) {
				this.reservation = reserve(job);
				estimate = (this.reservation != null) ? this.reservation.start() : null;
			}
			return Decision.waiting(job.jobId(), reasons, position, estimate);
		}

		private boolean endsBefore(QueuedJob job, Instant start) {
			return !Deadlines.after(this.limits.now(), this.limits.timeoutOf(job)).isAfter(start);
		}

		/**
		 * Free GPUs of a node that a job outliving the reservation may use: none it
		 * needs.
		 */
		private Integer spareFree(String nodeId) {
			Integer now = this.free.get(nodeId);
			Integer spare = this.reservation.spare().get(nodeId);
			return (now == null || spare == null) ? now : Math.min(now, spare);
		}

		private List<String> placement(QueuedJob job, boolean spareOnly) {
			return this.placements
				.computeIfAbsent(List.of(job.shape(), spareOnly),
						(key) -> Optional.ofNullable(spareOnly ? fit(job, this::spareFree) : fit(job, this.free::get)))
				.orElse(null);
		}

		private void admit(QueuedJob job, List<String> placement) {
			// first what may throw (a deadline past the clock's range), then the changes
			Instant deadline = Deadlines.after(this.limits.now(), this.limits.timeoutOf(job));
			this.placements.clear();
			boolean outlivesReservation = this.reservation != null && !endsBefore(job, this.reservation.start());
			for (String nodeId : placement) {
				this.free.merge(nodeId, -job.gpusPerNode(), Integer::sum);
				if (outlivesReservation) {
					this.reservation.spare().computeIfPresent(nodeId, (k, spare) -> spare - job.gpusPerNode());
				}
				this.releases.add(new Release(nodeId, job.jobId(), job.gpusPerNode(), deadline));
			}
			if (job.user() != null) {
				this.held.merge(job.user(), job.totalGpus(), Integer::sum);
				this.rayJobs.merge(job.user(), 1, Integer::sum);
			}
			this.slots--;
		}

		/**
		 * The distinct nodes for the gang under {@code capacity}, best fit first; null
		 * when it does not fit.
		 */
		private List<String> fit(QueuedJob job, ToIntFunctionOrNull capacity) {
			List<Map.Entry<String, Integer>> candidates = new ArrayList<>();
			for (String nodeId : this.free.keySet()) {
				Integer cap = capacity.apply(nodeId);
				if (cap != null && cap >= job.gpusPerNode() && this.nodes.get(nodeId).matches(job.nodeSelector())) {
					candidates.add(Map.entry(nodeId, cap));
				}
			}
			if (candidates.size() < job.nnodes()) {
				return null;
			}
			// keep only the nnodes best (a bounded heap): O(nodes x log nnodes), not a
			// sort
			// of the whole pool
			PriorityQueue<Map.Entry<String, Integer>> best = new PriorityQueue<>(BEST_FIT.reversed());
			for (Map.Entry<String, Integer> candidate : candidates) {
				best.add(candidate);
				if (best.size() > job.nnodes()) {
					best.poll();
				}
			}
			return best.stream().sorted(BEST_FIT).map(Map.Entry::getKey).toList();
		}

		/**
		 * Sweeps the releases in deadline order from the free GPUs now, until the gang
		 * fits: that instant (never before now) is the reservation's start, and what its
		 * nodes have beyond the gang's need is spare.
		 */
		private Reservation reserve(QueuedJob job) {
			Map<String, Integer> future = new HashMap<>(this.free);
			List<Release> sorted = this.releases.stream()
				.filter((r) -> future.containsKey(r.nodeId()) && this.nodes.get(r.nodeId()).matches(job.nodeSelector()))
				.sorted(Comparator.comparing(Release::at))
				.toList();
			// count the matching nodes that would hold one member of the gang, updated
			// release by release, so the
			// sweep costs O(releases) and the gang is placed once, when the count first
			// reaches nnodes
			int fitting = 0;
			for (Map.Entry<String, Integer> node : future.entrySet()) {
				if (node.getValue() >= job.gpusPerNode() && this.nodes.get(node.getKey()).matches(job.nodeSelector())) {
					fitting++;
				}
			}
			int i = 0;
			while (i < sorted.size()) {
				Instant at = sorted.get(i).at();
				while (i < sorted.size() && sorted.get(i).at().equals(at)) {
					Release release = sorted.get(i);
					int before = future.get(release.nodeId());
					future.put(release.nodeId(), before + release.gpus());
					if (before < job.gpusPerNode() && before + release.gpus() >= job.gpusPerNode()) {
						fitting++;
					}
					i++;
				}
				if (fitting >= job.nnodes()) {
					List<String> chosen = fit(job, future::get);
					Map<String, Integer> spare = new HashMap<>();
					chosen.forEach((nodeId) -> spare.put(nodeId, future.get(nodeId) - job.gpusPerNode()));
					Instant start = at.isBefore(this.limits.now()) ? this.limits.now() : at;
					return new Reservation(job.jobId(), start, spare);
				}
			}
			return null;
		}

		/** A capacity per node id; null for a node that cannot take the job at all. */
		@FunctionalInterface
		interface ToIntFunctionOrNull {

			Integer apply(String nodeId);

		}

		/**
		 * The first blocked job's claim on the future.
		 *
		 * @param jobId the job holding it
		 * @param start when enough matching nodes will be free
		 * @param spare for each node it needs, the GPUs it leaves over at its start
		 */
		record Reservation(String jobId, Instant start, Map<String, Integer> spare) {
		}

	}

}
