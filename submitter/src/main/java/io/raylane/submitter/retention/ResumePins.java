package io.raylane.submitter.retention;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.raylane.topics.job.JobView;

/**
 * The checkpoints other jobs resume from (issue 13): while a job whose spec names
 * {@code resume_from} and {@code resume_step} is not terminal, that step of the earlier
 * job is pinned, and {@link RetentionPlan} never deletes it. Follows
 * {@code raylane.job-states} through {@link RetentionSweeps}.
 */
final class ResumePins {

	/** Earlier job id → (resuming job id → step). */
	private final Map<String, Map<String, Integer>> pins = new ConcurrentHashMap<>();

	void onJobState(JobView view) {
		if (view.spec() == null || view.spec().resumeFrom() == null || view.spec().resumeStep() == null) {
			return;
		}
		String earlier = view.spec().resumeFrom();
		if (view.status().isTerminal()) {
			this.pins.computeIfPresent(earlier, (k, resumers) -> {
				resumers.remove(view.jobId());
				return resumers.isEmpty() ? null : resumers;
			});
		}
		else {
			this.pins.computeIfAbsent(earlier, (k) -> new ConcurrentHashMap<>())
				.put(view.jobId(), view.spec().resumeStep());
		}
	}

	/** The steps of {@code jobId} that jobs not yet ended resume from. */
	Set<Integer> of(String jobId) {
		Map<String, Integer> resumers = this.pins.get(jobId);
		return (resumers != null) ? resumers.values().stream().collect(Collectors.toUnmodifiableSet()) : Set.of();
	}

}
