package io.raylane.api.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.raylane.api.storage.StorageProperties.PoolPolicy;
import io.raylane.topics.job.JobView;

/**
 * Which cleanups one run of the disk policy makes (pure, issue 16): per pool whose policy
 * is enabled, the finished jobs that ended longer ago than its
 * {@code finished-older-than}, cleaned down to its {@code keep-last-checkpoints} (config
 * and logs stay). One cleanup per distinct policy, its jobs by id.
 */
final class PolicyRuns {

	private PolicyRuns() {
	}

	static List<CleanupCriteria> plan(Collection<JobView> views, StorageProperties properties, Instant now) {
		Map<PoolPolicy, List<String>> byPolicy = new java.util.LinkedHashMap<>();
		Map<String, JobView> sorted = new TreeMap<>();
		views.stream().filter((v) -> v.jobId() != null).forEach((v) -> sorted.put(v.jobId(), v));
		for (JobView view : sorted.values()) {
			if (view.status() == null || !view.status().isTerminal()) {
				continue;
			}
			PoolPolicy policy = properties.policyOf(view.pool());
			Instant ended = CleanupSelection.endedAt(view);
			if (policy.enabled() && ended != null && !ended.isAfter(now.minus(policy.finishedOlderThan()))) {
				byPolicy.computeIfAbsent(policy, (p) -> new ArrayList<>()).add(view.jobId());
			}
		}
		List<CleanupCriteria> runs = new ArrayList<>();
		byPolicy.forEach((policy, ids) -> runs.add(new CleanupCriteria(ids, null, null, null,
				new CleanupCriteria.Keep(policy.keepLastCheckpoints(), true, true), false)));
		return runs;
	}

}
