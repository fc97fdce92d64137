package io.raylane.scheduler.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Iterator;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.TreeSet;

import io.raylane.topics.job.WaitReason;

/**
 * The working state of one {@link AdmissionPlanner} cycle over a pool's
 * {@link PoolIndex}: the GPUs this cycle's admissions take (an overlay: the index is
 * never changed), GPUs held per user, Ray-head slots left, the releases of this cycle's
 * admissions, the one reservation, and the job shapes already known not to fit.
 * <p>
 * Cost (issue 17): a fit reads the index's best-fit order until it has the gang, plus the
 * few nodes this cycle changed; a reservation sweeps the releases in deadline order only
 * until the gang fits. Nothing is copied or sorted per pool.
 */
final class PlanningPass {

	/**
	 * Among nodes that fit, the fullest first (best fit), then by id so a decision is
	 * reproducible.
	 */
	private static final Comparator<Map.Entry<String, Integer>> BEST_FIT = Map.Entry.<String, Integer>comparingByValue()
		.thenComparing(Map.Entry.comparingByKey());

	private final PoolIndex pool;

	private final PlanLimits limits;

	/** GPUs this pass's admissions took, per node. */
	private final Map<String, Integer> taken = new HashMap<>();

	private final Map<String, Integer> held;

	/** Jobs each user has on the Ray head, this pass's admissions included. */
	private final Map<String, Integer> rayJobs;

	private int slots;

	/** The releases of this pass's admissions, in deadline order. */
	private final NavigableSet<Release> admitted = new TreeSet<>(PoolIndex.RELEASE_ORDER);

	private Reservation reservation;

	/**
	 * Placements found since the last admission, per shape and capacity (free or spare):
	 * until GPUs are consumed again, a job of the same shape gets the same answer, so a
	 * window of jobs held back by the Ray head or a reservation costs one fit per shape,
	 * not one per job.
	 */
	private final Map<List<Object>, Optional<List<String>>> placements = new HashMap<>();

	/**
	 * Shapes that do not fit in the free GPUs; admissions only consume GPUs, so they stay
	 * unfit all pass.
	 */
	private final Map<QueuedJob.Shape, WaitReason> unfit = new HashMap<>();

	PlanningPass(PoolIndex pool, PlanLimits limits) {
		this.pool = pool;
		this.limits = limits;
		this.held = new HashMap<>(limits.gpusHeld());
		this.rayJobs = new HashMap<>(limits.rayJobsHeld());
		this.slots = limits.rayHeadSlots();
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
			unfitReason = (unfitReason != null) ? unfitReason : noFit(job);
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

	/** Free GPUs of a node that takes work, after this pass's admissions; else null. */
	private Integer free(String nodeId) {
		Integer base = this.pool.free(nodeId);
		return (base == null) ? null : base - this.taken.getOrDefault(nodeId, 0);
	}

	/** The nodes whose free GPUs this pass changed, with what is free on them now. */
	private WaitReason noFit(QueuedJob job) {
		Map<String, Integer> overrides = nowOverrides();
		return Reasons.noFit(this.pool, job, countFitting(job, overrides), overrides);
	}

	private Map<String, Integer> nowOverrides() {
		Map<String, Integer> overrides = new HashMap<>();
		this.taken.keySet().forEach((nodeId) -> overrides.put(nodeId, free(nodeId)));
		return overrides;
	}

	/**
	 * What a job outliving the reservation may use: on the reservation's nodes, none of
	 * the GPUs it needs.
	 */
	private Map<String, Integer> spareOverrides() {
		Map<String, Integer> overrides = nowOverrides();
		this.reservation.spare().forEach((nodeId, spare) -> {
			Integer now = free(nodeId);
			overrides.put(nodeId, (now == null) ? null : Math.min(now, spare));
		});
		return overrides;
	}

	private List<String> placement(QueuedJob job, boolean spareOnly) {
		return this.placements
			.computeIfAbsent(List.of(job.shape(), spareOnly),
					(key) -> Optional.ofNullable(fit(job, spareOnly ? spareOverrides() : nowOverrides())))
			.orElse(null);
	}

	private void admit(QueuedJob job, List<String> placement) {
		// first what may throw (a deadline past the clock's range), then the changes
		Instant deadline = Deadlines.after(this.limits.now(), this.limits.timeoutOf(job));
		this.placements.clear();
		boolean outlivesReservation = this.reservation != null && !endsBefore(job, this.reservation.start());
		for (String nodeId : placement) {
			this.taken.merge(nodeId, job.gpusPerNode(), Integer::sum);
			if (outlivesReservation) {
				this.reservation.spare().computeIfPresent(nodeId, (k, spare) -> spare - job.gpusPerNode());
			}
			this.admitted.add(new Release(nodeId, job.jobId(), job.gpusPerNode(), deadline));
		}
		if (job.user() != null) {
			this.held.merge(job.user(), job.totalGpus(), Integer::sum);
			this.rayJobs.merge(job.user(), 1, Integer::sum);
		}
		this.slots--;
	}

	/**
	 * A node's capacity: its override when it has one (null: it cannot take the job),
	 * else what the index says is free.
	 */
	private Integer capacity(Map<String, Integer> overrides, String nodeId) {
		return overrides.containsKey(nodeId) ? overrides.get(nodeId) : this.pool.free(nodeId);
	}

	/**
	 * The distinct nodes for the gang, best fit first; null when it does not fit. Nodes
	 * in {@code overrides} have that capacity, the others what the index says is free.
	 * The index is read in best-fit order only until it yields the gang: those are the
	 * best of the nodes it did not override, and the overridden ones compete with them.
	 */
	private List<String> fit(QueuedJob job, Map<String, Integer> overrides) {
		List<Map.Entry<String, Integer>> candidates = new ArrayList<>();
		for (PoolIndex.FreeNode node : this.pool.freeAtLeast(job.gpusPerNode())) {
			if (candidates.size() == job.nnodes()) {
				break;
			}
			if (!overrides.containsKey(node.nodeId()) && matches(node.nodeId(), job)) {
				candidates.add(Map.entry(node.nodeId(), node.free()));
			}
		}
		overrides.forEach((nodeId, cap) -> {
			if (cap != null && cap >= job.gpusPerNode() && matches(nodeId, job)) {
				candidates.add(Map.entry(nodeId, cap));
			}
		});
		if (candidates.size() < job.nnodes()) {
			return null;
		}
		candidates.sort(BEST_FIT);
		return candidates.subList(0, job.nnodes()).stream().map(Map.Entry::getKey).toList();
	}

	private boolean matches(String nodeId, QueuedJob job) {
		return job.nodeSelector().isEmpty() || this.pool.node(nodeId).matches(job.nodeSelector());
	}

	/**
	 * How many nodes that take work carry the job's labels and have room for one member
	 * of its gang, under {@code overrides}.
	 */
	private int countFitting(QueuedJob job, Map<String, Integer> overrides) {
		int gpus = job.gpusPerNode();
		int count = 0;
		if (job.nodeSelector().isEmpty()) {
			count = this.pool.countFreeAtLeast(gpus);
			for (Map.Entry<String, Integer> override : overrides.entrySet()) {
				Integer base = this.pool.free(override.getKey());
				boolean baseFits = base != null && base >= gpus;
				boolean fits = override.getValue() != null && override.getValue() >= gpus;
				count += (fits ? 1 : 0) - (baseFits ? 1 : 0);
			}
			return count;
		}
		for (PoolIndex.FreeNode node : this.pool.freeAtLeast(gpus)) {
			if (!overrides.containsKey(node.nodeId()) && matches(node.nodeId(), job)) {
				count++;
			}
		}
		for (Map.Entry<String, Integer> override : overrides.entrySet()) {
			if (override.getValue() != null && override.getValue() >= gpus && matches(override.getKey(), job)) {
				count++;
			}
		}
		return count;
	}

	/**
	 * Sweeps the releases (the index's and this pass's) in deadline order from the free
	 * GPUs now, until the gang fits: that instant (never before now) is the reservation's
	 * start, and what its nodes have beyond the gang's need is spare. Only the nodes a
	 * release reached are copied.
	 */
	private Reservation reserve(QueuedJob job) {
		Map<String, Integer> future = nowOverrides();
		int fitting = countFitting(job, future);
		Iterator<Release> sweep = new MergedReleases(this.pool.releases().iterator(), this.admitted.iterator());
		Release pending = next(sweep, job);
		while (pending != null) {
			Instant at = pending.at();
			while (pending != null && pending.at().equals(at)) {
				int before = capacity(future, pending.nodeId());
				future.put(pending.nodeId(), before + pending.gpus());
				if (before < job.gpusPerNode() && before + pending.gpus() >= job.gpusPerNode()) {
					fitting++;
				}
				pending = next(sweep, job);
			}
			if (fitting >= job.nnodes()) {
				List<String> chosen = fit(job, future);
				Map<String, Integer> spare = new HashMap<>();
				chosen.forEach((nodeId) -> spare.put(nodeId, capacity(future, nodeId) - job.gpusPerNode()));
				Instant start = at.isBefore(this.limits.now()) ? this.limits.now() : at;
				return new Reservation(job.jobId(), start, spare);
			}
		}
		return null;
	}

	/**
	 * The next release on a node that takes work and carries the job's labels; null at
	 * the end.
	 */
	private Release next(Iterator<Release> sweep, QueuedJob job) {
		while (sweep.hasNext()) {
			Release release = sweep.next();
			if (this.pool.free(release.nodeId()) != null && matches(release.nodeId(), job)) {
				return release;
			}
		}
		return null;
	}

	/** Two release sequences, each in deadline order, read as one. */
	private static final class MergedReleases implements Iterator<Release> {

		private final Iterator<Release> left;

		private final Iterator<Release> right;

		private Release leftNext;

		private Release rightNext;

		MergedReleases(Iterator<Release> left, Iterator<Release> right) {
			this.left = left;
			this.right = right;
			this.leftNext = left.hasNext() ? left.next() : null;
			this.rightNext = right.hasNext() ? right.next() : null;
		}

		@Override
		public boolean hasNext() {
			return this.leftNext != null || this.rightNext != null;
		}

		@Override
		public Release next() {
			if (!hasNext()) {
				throw new NoSuchElementException();
			}
			boolean takeLeft = this.rightNext == null
					|| (this.leftNext != null && PoolIndex.RELEASE_ORDER.compare(this.leftNext, this.rightNext) <= 0);
			Release result;
			if (takeLeft) {
				result = this.leftNext;
				this.leftNext = this.left.hasNext() ? this.left.next() : null;
			}
			else {
				result = this.rightNext;
				this.rightNext = this.right.hasNext() ? this.right.next() : null;
			}
			return result;
		}

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
