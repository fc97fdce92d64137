package io.raylane.api.storage;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code raylane.storage.*}: the shared-storage usage walk and the disk policy (issue
 * 16).
 *
 * @param usageCache how long one walk of the shared root answers {@code GET /v1/storage}
 * (default 5m)
 * @param usageMaxEntries entries one walk reads at most (default 1,000,000)
 * @param policyInterval how often the disk policy runs (default 1h)
 * @param defaultPolicy the policy of every pool not in {@code policy}
 * @param policy per pool: {@code raylane.storage.policy.<pool>.*}
 */
@ConfigurationProperties("raylane.storage")
record StorageProperties(@DefaultValue("5m") Duration usageCache, @DefaultValue("1000000") long usageMaxEntries,
		@DefaultValue("1h") Duration policyInterval, @DefaultValue PoolPolicy defaultPolicy,
		Map<String, PoolPolicy> policy) {

	StorageProperties {
		policy = (policy != null) ? Map.copyOf(policy) : Map.of();
		if (usageMaxEntries < 1) {
			throw new IllegalArgumentException("raylane.storage.usage-max-entries must be at least 1");
		}
		if (policyInterval.isZero() || policyInterval.isNegative()) {
			throw new IllegalArgumentException("raylane.storage.policy-interval must be positive");
		}
	}

	/** The policy of {@code pool}. */
	PoolPolicy policyOf(String pool) {
		return (pool != null) ? this.policy.getOrDefault(pool, this.defaultPolicy) : this.defaultPolicy;
	}

	/**
	 * What the disk policy does to a pool's finished jobs.
	 *
	 * @param enabled whether it runs for the pool (default true)
	 * @param finishedOlderThan jobs that ended longer ago than this (default 14d)
	 * @param keepLastCheckpoints newest checkpoints kept of each (default 1)
	 */
	record PoolPolicy(@DefaultValue("true") boolean enabled, @DefaultValue("14d") Duration finishedOlderThan,
			@DefaultValue("1") int keepLastCheckpoints) {

		PoolPolicy {
			if (finishedOlderThan == null || finishedOlderThan.isNegative()) {
				throw new IllegalArgumentException("finished-older-than must be a positive duration");
			}
			if (keepLastCheckpoints < 0) {
				throw new IllegalArgumentException("keep-last-checkpoints must be 0 or more");
			}
		}

	}

}
