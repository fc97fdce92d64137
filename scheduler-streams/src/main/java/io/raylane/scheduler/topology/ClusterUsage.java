package io.raylane.scheduler.topology;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.raylane.scheduler.core.PlanLimits;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The cluster-wide counts a pool's planning needs although the scheduler is partitioned
 * by pool: Raylane jobs active on the Ray head, and per user the GPUs held, the jobs on
 * the Ray head and the jobs queued or running. The pool's own counts come from its local
 * store (exact); the other pools' from the global store
 * {@value SchedulerTopology#GLOBAL_USAGE}, fed by every task through
 * {@code <application.id>-usage}. Those lag by at most a commit interval, so the Ray-head
 * cap and quotas are eventually consistent across pools (docs/scheduling.md).
 */
final class ClusterUsage {

	private static final StringSerializer KEYS = new StringSerializer();

	private final SchedulerStores stores;

	private final ReadOnlyKeyValueStore<String, Integer> global;

	ClusterUsage(SchedulerStores stores, ReadOnlyKeyValueStore<String, Integer> global) {
		this.stores = stores;
		this.global = global;
	}

	PlanLimits limits(String pool, SchedulingPolicy policy, Instant now) {
		int active = this.stores.usage(UsageCount.active(pool));
		if (this.global != null) {
			active += othersActive(pool);
		}
		int slots = Math.max(0, policy.maxActiveRayJobs() - active);
		return new PlanLimits(now, perUser(UsageCount.GPUS, pool), policy.quotas(), slots, policy.timeoutOf(pool),
				perUser(UsageCount.RAY_JOBS, pool), policy.rayJobCaps());
	}

	/**
	 * {@code user}'s jobs queued or running in every pool (issue 12, {@code max_jobs}).
	 */
	int activeJobs(String pool, String user) {
		return perUser(UsageCount.JOBS, pool).getOrDefault((user != null) ? user : "", 0);
	}

	/** One per-user counter summed over every pool: this one's exact, the others'. */
	private Map<String, Integer> perUser(String kind, String pool) {
		Map<String, Integer> counts = new HashMap<>(this.stores.perUser(kind, pool));
		if (this.global != null) {
			othersPerUser(kind, pool).forEach((user, count) -> counts.merge(user, count, Integer::sum));
		}
		return counts;
	}

	private int othersActive(String pool) {
		int sum = 0;
		String own = UsageCount.active(pool);
		try (KeyValueIterator<String, Integer> it = this.global.prefixScan("active|", KEYS)) {
			while (it.hasNext()) {
				var kv = it.next();
				if (!kv.key.equals(own) && kv.value != null) {
					sum += kv.value;
				}
			}
		}
		return sum;
	}

	private Map<String, Integer> othersPerUser(String kind, String pool) {
		Map<String, Integer> result = new HashMap<>();
		String own = kind + "|" + pool + "|";
		try (KeyValueIterator<String, Integer> it = this.global.prefixScan(kind + "|", KEYS)) {
			while (it.hasNext()) {
				var kv = it.next();
				if (kv.key.startsWith(own) || kv.value == null) {
					continue;
				}
				String user = kv.key.substring(kv.key.lastIndexOf('|') + 1);
				result.merge(user, kv.value, Integer::sum);
			}
		}
		return result;
	}

}
