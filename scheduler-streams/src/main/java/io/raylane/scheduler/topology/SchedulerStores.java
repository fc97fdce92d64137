package io.raylane.scheduler.topology;

import java.util.ArrayList;
import java.util.List;

import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The scheduler's three persistent stores (changelogged, so they survive restarts and move with their task):
 * the job table, the per-pool FIFO queue index and the node table. Only the pool processor uses them.
 */
final class SchedulerStores {

	private static final StringSerializer KEYS = new StringSerializer();

	private final KeyValueStore<String, JobEntry> jobs;

	private final KeyValueStore<String, String> queue;

	private final KeyValueStore<String, NodeEntry> nodes;

	private final KeyValueStore<String, String> timers;

	private final KeyValueStore<String, Integer> usage;

	SchedulerStores(KeyValueStore<String, JobEntry> jobs, KeyValueStore<String, String> queue,
			KeyValueStore<String, NodeEntry> nodes, KeyValueStore<String, String> timers,
			KeyValueStore<String, Integer> usage) {
		this.jobs = jobs;
		this.queue = queue;
		this.nodes = nodes;
		this.timers = timers;
		this.usage = usage;
	}

	/** The deadline index: {@code <epoch ms, fixed width>|<jobId>} → timer kind, in deadline order. */
	KeyValueStore<String, String> timers() {
		return this.timers;
	}

	/** Per-pool counters: {@code active|<pool>} (jobs on Ray) and {@code gpus|<pool>|<user>} (GPUs held). */
	int usage(String key) {
		Integer value = this.usage.get(key);
		return (value != null) ? value : 0;
	}

	void addUsage(String key, int delta) {
		int next = usage(key) + delta;
		if (next <= 0) {
			this.usage.delete(key);
		}
		else {
			this.usage.put(key, next);
		}
	}

	/** GPUs held per user in {@code pool}. */
	java.util.Map<String, Integer> gpusHeld(String pool) {
		java.util.Map<String, Integer> result = new java.util.HashMap<>();
		String prefix = "gpus|" + pool + "|";
		try (KeyValueIterator<String, Integer> it = this.usage.prefixScan(prefix, KEYS)) {
			it.forEachRemaining((kv) -> result.put(kv.key.substring(prefix.length()), kv.value));
		}
		return result;
	}

	JobEntry job(String jobId) {
		return this.jobs.get(jobId);
	}

	void put(JobEntry entry) {
		this.jobs.put(entry.view().jobId(), entry);
	}

	void enqueue(JobView view) {
		this.queue.put(QueueKeys.of(view), view.jobId());
	}

	void dequeue(JobView view) {
		this.queue.delete(QueueKeys.of(view));
	}

	/** The first {@code limit} QUEUED jobs of {@code pool}, in FIFO order; reads only those entries. */
	List<JobEntry> queueHeads(String pool, int limit) {
		List<JobEntry> heads = new ArrayList<>();
		List<String> stale = new ArrayList<>();
		try (KeyValueIterator<String, String> it = this.queue.prefixScan(QueueKeys.prefix(pool), KEYS)) {
			while (it.hasNext() && heads.size() < limit) {
				var next = it.next();
				JobEntry entry = this.jobs.get(next.value);
				if (entry != null && entry.view().status() == JobStatus.QUEUED) {
					heads.add(entry);
				}
				else {
					// defensive: an index entry whose job left the queue must not block the pool
					stale.add(next.key);
				}
			}
		}
		stale.forEach(this.queue::delete);
		return heads;
	}

	/** Every node of {@code pool} the scheduler knows, alive or dead. */
	List<NodeEntry> nodes(String pool) {
		List<NodeEntry> result = new ArrayList<>();
		try (KeyValueIterator<String, NodeEntry> it = this.nodes.prefixScan(QueueKeys.prefix(pool), KEYS)) {
			it.forEachRemaining((kv) -> result.add(kv.value));
		}
		return result;
	}

	/** Pools with at least one registered (fleet) node, for the time-driven fleet rules. */
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
		return this.nodes.get(nodeKey(pool, nodeId));
	}

	void put(NodeEntry node) {
		this.nodes.put(nodeKey(node.pool(), node.nodeId()), node);
	}

	static String nodeKey(String pool, String nodeId) {
		return QueueKeys.prefix(pool) + nodeId;
	}

}
