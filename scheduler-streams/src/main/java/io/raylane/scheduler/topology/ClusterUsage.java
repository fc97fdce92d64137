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
 * by pool: Raylane jobs active on the Ray head, and GPUs each user holds. The pool's own
 * counts come from its local store (exact); the other pools' from the global store
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
		Map<String, Integer> held = new HashMap<>(this.stores.gpusHeld(pool));
		if (this.global != null) {
			active += othersActive(pool);
			othersHeld(pool).forEach((user, gpus) -> held.merge(user, gpus, Integer::sum));
		}
		int slots = Math.max(0, policy.maxActiveRayJobs() - active);
		return new PlanLimits(now, held, policy.quotas(), slots, policy.timeoutOf(pool));
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

	private Map<String, Integer> othersHeld(String pool) {
		Map<String, Integer> result = new HashMap<>();
		String own = "gpus|" + pool + "|";
		try (KeyValueIterator<String, Integer> it = this.global.prefixScan("gpus|", KEYS)) {
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
