package io.raylane.scheduler.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A pool's nodes kept ready for planning, changed one node at a time (issue 17): the
 * nodes that take work in best-fit order (fewest free GPUs first, then by id), how many
 * of them have each count of free GPUs, the running jobs' releases in deadline order, and
 * for each job shape whether the pool could ever hold it.
 * <p>
 * The topology keeps one per pool and updates it on every node change, so a planning
 * cycle costs what it reads (the few best nodes, the releases up to a reservation's
 * start), not a copy and a sort of the whole pool per event. A {@link PlanningPass} never
 * changes it: the GPUs a cycle consumes live in the pass.
 */
public final class PoolIndex {

	/** Deadline order; ties broken so that equal releases of two jobs both stay. */
	static final Comparator<Release> RELEASE_ORDER = Comparator.comparing(Release::at)
		.thenComparing(Release::nodeId)
		.thenComparing(Release::jobId)
		.thenComparingInt(Release::gpus);

	private final String pool;

	private final Map<String, PoolNode> nodes = new HashMap<>();

	/** Nodes that take work, by free GPUs then id: the planner's best-fit order. */
	private final NavigableSet<FreeNode> byFree = new TreeSet<>();

	/** How many nodes that take work have each count of free GPUs. */
	private final TreeMap<Integer, Integer> freeCounts = new TreeMap<>();

	private final NavigableSet<Release> releases = new TreeSet<>(RELEASE_ORDER);

	private final Map<String, List<Release>> releasesByNode = new HashMap<>();

	private int draining;

	/**
	 * Nodes that take work with GPUs held outside Raylane, by id: the only nodes a "held
	 * outside" reason can name, so explaining why a gang does not fit reads these few,
	 * not the whole pool (issue 17).
	 */
	private final TreeMap<String, PoolNode> heldOutside = new TreeMap<>();

	/**
	 * Per shape: why the pool can never hold it. Depends only on the nodes' sizes and
	 * labels, so it is dropped only when those change, not when GPUs are taken or given
	 * back.
	 */
	private final Map<QueuedJob.Shape, Optional<String>> neverFits = new HashMap<>();

	public PoolIndex(String pool) {
		this.pool = pool;
	}

	/** An index holding exactly the nodes and releases of {@code snapshot}. */
	public static PoolIndex of(PoolSnapshot snapshot) {
		PoolIndex index = new PoolIndex(snapshot.pool());
		Map<String, List<Release>> releases = new HashMap<>();
		for (Release release : snapshot.releases()) {
			releases.computeIfAbsent(release.nodeId(), (id) -> new ArrayList<>()).add(release);
		}
		for (PoolNode node : snapshot.nodes()) {
			index.put(node, releases.getOrDefault(node.nodeId(), List.of()));
		}
		// releases of nodes the snapshot does not list still count for a reservation
		// sweep only through nodes that take work, so they are dropped, as the planner
		// always did
		return index;
	}

	public String pool() {
		return this.pool;
	}

	/** Adds or replaces a node, with the GPUs its running jobs give back and when. */
	public void put(PoolNode node, List<Release> nodeReleases) {
		PoolNode previous = this.nodes.put(node.nodeId(), node);
		if (previous != null) {
			unindex(previous);
		}
		if (previous == null || previous.gpus() != node.gpus() || !previous.labels().equals(node.labels())) {
			this.neverFits.clear();
		}
		if (node.takesWork()) {
			this.byFree.add(new FreeNode(node.freeGpus(), node.nodeId()));
			this.freeCounts.merge(node.freeGpus(), 1, Integer::sum);
			if (node.heldOutside() > 0) {
				this.heldOutside.put(node.nodeId(), node);
			}
		}
		if (node.isDraining()) {
			this.draining++;
		}
		List<Release> copy = List.copyOf(nodeReleases);
		if (!copy.isEmpty()) {
			this.releasesByNode.put(node.nodeId(), copy);
			this.releases.addAll(copy);
		}
	}

	/** Forgets a node and its releases. */
	public void remove(String nodeId) {
		PoolNode previous = this.nodes.remove(nodeId);
		if (previous != null) {
			unindex(previous);
			this.neverFits.clear();
		}
	}

	private void unindex(PoolNode node) {
		if (node.takesWork()) {
			this.byFree.remove(new FreeNode(node.freeGpus(), node.nodeId()));
			this.freeCounts.computeIfPresent(node.freeGpus(), (free, count) -> (count > 1) ? count - 1 : null);
			this.heldOutside.remove(node.nodeId());
		}
		if (node.isDraining()) {
			this.draining--;
		}
		List<Release> old = this.releasesByNode.remove(node.nodeId());
		if (old != null) {
			old.forEach(this.releases::remove);
		}
	}

	public boolean isEmpty() {
		return this.nodes.isEmpty();
	}

	public Collection<PoolNode> nodes() {
		return Collections.unmodifiableCollection(this.nodes.values());
	}

	/**
	 * The nodes that take work and have GPUs held outside Raylane, in id order.
	 */
	Collection<PoolNode> takingWorkWithHeldOutside() {
		return Collections.unmodifiableCollection(this.heldOutside.values());
	}

	PoolNode node(String nodeId) {
		return this.nodes.get(nodeId);
	}

	/**
	 * Free GPUs of a node that takes work; null for any other (dead, draining, unknown).
	 */
	Integer free(String nodeId) {
		PoolNode node = this.nodes.get(nodeId);
		return (node != null && node.takesWork()) ? node.freeGpus() : null;
	}

	boolean anyTakesWork() {
		return !this.byFree.isEmpty();
	}

	boolean anyDraining() {
		return this.draining > 0;
	}

	/** Nodes that take work with at least {@code gpus} free, in best-fit order. */
	Iterable<FreeNode> freeAtLeast(int gpus) {
		return this.byFree.tailSet(new FreeNode(gpus, ""), true);
	}

	/** How many nodes that take work have at least {@code gpus} free. */
	int countFreeAtLeast(int gpus) {
		int count = 0;
		for (int each : this.freeCounts.tailMap(gpus, true).values()) {
			count += each;
		}
		return count;
	}

	/** Every running job's release, in deadline order. */
	NavigableSet<Release> releases() {
		return Collections.unmodifiableNavigableSet(this.releases);
	}

	/**
	 * Why the pool can never hold a job of this shape, judged on every node it knows
	 * (alive, dead or draining) that carries the job's selector labels; empty when it
	 * could, and for an empty pool (its nodes may not have been seen yet).
	 */
	public Optional<String> neverFits(QueuedJob job) {
		return this.neverFits.computeIfAbsent(job.shape(), (shape) -> judge(job));
	}

	private Optional<String> judge(QueuedJob job) {
		if (this.nodes.isEmpty()) {
			return Optional.empty();
		}
		long bigEnough = this.nodes.values()
			.stream()
			.filter((node) -> node.matches(job.nodeSelector()))
			.filter((node) -> node.gpus() >= job.gpusPerNode())
			.count();
		if (bigEnough >= job.nnodes()) {
			return Optional.empty();
		}
		return Optional.of(Reasons.neverFits(this.pool, job, bigEnough));
	}

	/** A node that takes work, ordered for best fit. */
	record FreeNode(int free, String nodeId) implements Comparable<FreeNode> {

		@Override
		public int compareTo(FreeNode other) {
			int byFree = Integer.compare(this.free, other.free);
			return (byFree != 0) ? byFree : this.nodeId.compareTo(other.nodeId);
		}

	}

	@Override
	public String toString() {
		return "PoolIndex[" + this.pool + ", " + this.nodes.size() + " nodes, " + this.releases.size() + " releases]";
	}

}
