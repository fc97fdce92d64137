package io.raylane.scheduler.topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import io.raylane.scheduler.core.PoolNode;
import io.raylane.scheduler.core.PoolIndex;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The scheduler's three persistent stores (changelogged, so they survive restarts and
 * move with their task): the job table, the per-pool FIFO queue index and the node table.
 * Only the pool processor uses them.
 */
final class SchedulerStores {

	private static final StringSerializer KEYS = new StringSerializer();

	private final KeyValueStore<String, JobEntry> jobs;

	private final KeyValueStore<String, String> queue;

	private final KeyValueStore<String, NodeEntry> nodes;

	private final KeyValueStore<String, String> timers;

	private final KeyValueStore<String, Integer> usage;

	private final Map<String, Map<String, NodeEntry>> nodeCache = new HashMap<>();

	/** See {@link #usageMirror()}; null until first read. */
	private NavigableMap<String, Integer> usageCache;

	/** Per pool: ids of the nodes with time-driven rules to check. */
	private final Map<String, java.util.Set<String>> timeDrivenCache = new HashMap<>();

	/** Per pool: the queue index in FIFO order (see {@link #poolQueue(String)}). */
	private final Map<String, NavigableMap<String, String>> queueCache = new HashMap<>();

	/**
	 * Per pool: the planner's index of its nodes (issue 17), derived from the node table
	 * once and then changed node by node in {@link #put(NodeEntry)}.
	 */
	private final Map<String, PoolIndex> plannerCache = new HashMap<>();

	/**
	 * Decoded job rows most recently used (write-through, bounded): every cycle re-reads
	 * the head of the queue, and decoding those JSON rows would otherwise dominate its
	 * cost.
	 */
	private final Map<String, JobEntry> jobCache = new LinkedHashMap<>(1024, 0.75f, true) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, JobEntry> eldest) {
			return size() > JOB_CACHE_SIZE;
		}

	};

	static final int JOB_CACHE_SIZE = 4096;

	SchedulerStores(KeyValueStore<String, JobEntry> jobs, KeyValueStore<String, String> queue,
			KeyValueStore<String, NodeEntry> nodes, KeyValueStore<String, String> timers,
			KeyValueStore<String, Integer> usage) {
		this.jobs = jobs;
		this.queue = queue;
		this.nodes = nodes;
		this.timers = timers;
		this.usage = usage;
	}

	/**
	 * The deadline index: {@code <epoch ms, fixed width>|<jobId>} → timer kind, in
	 * deadline order.
	 */
	KeyValueStore<String, String> timers() {
		return this.timers;
	}

	/**
	 * Per-pool counters: {@code active|<pool>} (jobs on Ray) and
	 * {@code gpus|<pool>|<user>} (GPUs held).
	 */
	int usage(String key) {
		return usageMirror().getOrDefault(key, 0);
	}

	void addUsage(String key, int delta) {
		int next = usage(key) + delta;
		if (next <= 0) {
			this.usage.delete(key);
			usageMirror().remove(key);
		}
		else {
			this.usage.put(key, next);
			usageMirror().put(key, next);
		}
	}

	/**
	 * The usage store mirrored in memory (write-through, loaded once, like the node
	 * cache; only {@link #addUsage} writes that store). Issue 17: every cycle read three
	 * per-user counters by prefix scans that decoded each value; the store holds a few
	 * counters per pool and user.
	 */
	private NavigableMap<String, Integer> usageMirror() {
		if (this.usageCache == null) {
			NavigableMap<String, Integer> loaded = new TreeMap<>();
			try (KeyValueIterator<String, Integer> it = this.usage.all()) {
				it.forEachRemaining((kv) -> {
					if (kv.value != null) {
						loaded.put(kv.key, kv.value);
					}
				});
			}
			this.usageCache = loaded;
		}
		return this.usageCache;
	}

	/** GPUs held per user in {@code pool}. */
	Map<String, Integer> gpusHeld(String pool) {
		return perUser(UsageCount.GPUS, pool);
	}

	/**
	 * One per-user counter of {@code pool} ({@link UsageCount#GPUS},
	 * {@link UsageCount#RAY_JOBS}, {@link UsageCount#JOBS}), by user.
	 */
	Map<String, Integer> perUser(String kind, String pool) {
		Map<String, Integer> result = new HashMap<>();
		String prefix = kind + "|" + pool + "|";
		// every key that starts with the prefix sorts between it and the prefix followed
		// by the highest char
		usageMirror().subMap(prefix, true, prefix + Character.MAX_VALUE, false)
			.forEach((key, value) -> result.put(key.substring(prefix.length()), value));
		return result;
	}

	JobEntry job(String jobId) {
		JobEntry cached = this.jobCache.get(jobId);
		if (cached != null) {
			return cached;
		}
		JobEntry stored = this.jobs.get(jobId);
		if (stored != null) {
			this.jobCache.put(jobId, stored);
		}
		return stored;
	}

	void put(JobEntry entry) {
		this.jobs.put(entry.view().jobId(), entry);
		this.jobCache.put(entry.view().jobId(), entry);
	}

	void enqueue(JobView view) {
		String key = QueueKeys.of(view);
		this.queue.put(key, view.jobId());
		poolQueue(view.pool()).put(key, view.jobId());
	}

	void dequeue(JobView view) {
		String key = QueueKeys.of(view);
		this.queue.delete(key);
		poolQueue(view.pool()).remove(key);
	}

	/**
	 * The first {@code limit} QUEUED jobs of {@code pool}, in FIFO order; reads only
	 * those entries.
	 */
	List<JobEntry> queueHeads(String pool, int limit) {
		List<JobEntry> heads = new ArrayList<>();
		List<String> stale = new ArrayList<>();
		for (Map.Entry<String, String> next : poolQueue(pool).entrySet()) {
			if (heads.size() >= limit) {
				break;
			}
			JobEntry entry = job(next.getValue());
			if (entry != null && entry.view().status() == JobStatus.QUEUED) {
				heads.add(entry);
			}
			else {
				// defensive: an index entry whose job left the queue must not block the
				// pool
				stale.add(next.getKey());
			}
		}
		stale.forEach((key) -> {
			this.queue.delete(key);
			poolQueue(pool).remove(key);
		});
		return heads;
	}

	/**
	 * The queue index of {@code pool}, mirrored in memory (write-through, loaded once per
	 * pool like the node cache). Issue 17: a prefix scan of the RocksDB index at every
	 * cycle first stepped over the tombstones of every job that had left the queue since
	 * the last compaction, and that seek was a third of an event's cost; the mirror costs
	 * about 250 bytes per queued job.
	 */
	private NavigableMap<String, String> poolQueue(String pool) {
		return this.queueCache.computeIfAbsent(pool, (p) -> {
			NavigableMap<String, String> loaded = new TreeMap<>();
			try (KeyValueIterator<String, String> it = this.queue.prefixScan(QueueKeys.prefix(p), KEYS)) {
				it.forEachRemaining((kv) -> loaded.put(kv.key, kv.value));
			}
			return loaded;
		});
	}

	/**
	 * Every node of {@code pool} the scheduler knows, alive or dead. Served from a
	 * write-through cache of the node table, loaded once per pool: a cycle then costs no
	 * deserialization of a large pool's nodes. The cache lives as long as this object,
	 * which the processor re-creates on every (re)initialisation, so a restored or wiped
	 * store is never shadowed by stale entries.
	 */
	List<NodeEntry> nodes(String pool) {
		return new ArrayList<>(poolNodes(pool).values());
	}

	/**
	 * Pools with at least one registered (fleet) node, for the time-driven fleet rules.
	 */
	java.util.Set<String> poolsWithFleetNodes() {
		java.util.Set<String> pools = new java.util.TreeSet<>();
		try (KeyValueIterator<String, NodeEntry> it = this.nodes.all()) {
			it.forEachRemaining((kv) -> {
				if (kv.value != null && kv.value.fleet() != null) {
					pools.add(kv.value.pool());
				}
			});
		}
		return pools;
	}

	NodeEntry node(String pool, String nodeId) {
		return poolNodes(pool).get(nodeId);
	}

	void put(NodeEntry node) {
		this.nodes.put(nodeKey(node.pool(), node.nodeId()), node);
		poolNodes(node.pool()).put(node.nodeId(), node);
		if (node.timeDriven()) {
			timeDriven(node.pool()).add(node.nodeId());
		}
		else {
			timeDriven(node.pool()).remove(node.nodeId());
		}
		PoolIndex index = this.plannerCache.get(node.pool());
		if (index != null) {
			index.put(node.toPoolNode(), node.releases());
		}
	}

	/**
	 * The planner's index of every node of {@code pool}, kept up to date by
	 * {@link #put(NodeEntry)}; read-only for its callers.
	 */
	PoolIndex poolIndex(String pool) {
		return this.plannerCache.computeIfAbsent(pool, (p) -> {
			PoolIndex derived = new PoolIndex(p);
			poolNodes(p).values().forEach((entry) -> derived.put(entry.toPoolNode(), entry.releases()));
			return derived;
		});
	}

	/**
	 * The nodes of {@code pool} the fleet's time-driven rules must check
	 * ({@link NodeEntry#timeDriven()}), in node id order; a copy, so the caller may
	 * change nodes while it reads.
	 */
	List<NodeEntry> timeDrivenNodes(String pool) {
		return timeDriven(pool).stream().map((id) -> poolNodes(pool).get(id)).toList();
	}

	private java.util.Set<String> timeDriven(String pool) {
		return this.timeDrivenCache.computeIfAbsent(pool, (p) -> {
			java.util.Set<String> ids = new java.util.TreeSet<>();
			poolNodes(p).forEach((id, entry) -> {
				if (entry.timeDriven()) {
					ids.add(id);
				}
			});
			return ids;
		});
	}

	private Map<String, NodeEntry> poolNodes(String pool) {
		return this.nodeCache.computeIfAbsent(pool, (p) -> {
			Map<String, NodeEntry> loaded = new TreeMap<>();
			try (KeyValueIterator<String, NodeEntry> it = this.nodes.prefixScan(QueueKeys.prefix(p), KEYS)) {
				it.forEachRemaining((kv) -> loaded.put(kv.value.nodeId(), kv.value));
			}
			return loaded;
		});
	}

	static String nodeKey(String pool, String nodeId) {
		return QueueKeys.prefix(pool) + nodeId;
	}

}
