package io.raylane.observer.gpu;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The GPU samples of each running job, kept in memory until accounting has written the
 * interval they fall in and the idle detector has seen them. Samples are facts, not
 * publications: they are kept even when a poll's transaction fails, so the retry averages
 * the same samples.
 */
public final class SampleHistory {

	private final Map<String, List<GpuSample>> samples = new HashMap<>();

	public synchronized void add(String jobId, GpuSample sample) {
		this.samples.computeIfAbsent(jobId, (id) -> new ArrayList<>()).add(sample);
	}

	/** The job's samples, oldest first. */
	public synchronized List<GpuSample> of(String jobId) {
		return List.copyOf(this.samples.getOrDefault(jobId, List.of()));
	}

	/** Drops the job's samples older than {@code keepFrom}. */
	public synchronized void prune(String jobId, Instant keepFrom) {
		List<GpuSample> list = this.samples.get(jobId);
		if (list != null) {
			list.removeIf((s) -> s.at().isBefore(keepFrom));
		}
	}

	/** Forgets the jobs not in {@code jobIds}. */
	public synchronized void retain(Set<String> jobIds) {
		this.samples.keySet().retainAll(jobIds);
	}

}
