package io.raylane.jobspec.checkpoint;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.raylane.topics.job.JobView;

/**
 * The checkpoints other jobs resume from (issue 13): while a job whose spec names
 * {@code resume_from} and {@code resume_step} is not terminal, that step of the earlier
 * job is pinned, and {@link RetentionPlan} never deletes it. Fed with the JobViews of
 * {@code raylane.job-states}: by the submitter's checkpoint retention as they arrive, and
 * by the API's cleanup (issue 16) from its whole job view at once
 * ({@link #of(Iterable)}). Shared here so that both decide on one rule.
 */
public final class ResumePins {

	/** Earlier job id → (resuming job id → step). */
	private final Map<String, Map<String, Integer>> pins = new ConcurrentHashMap<>();

	public void onJobState(JobView view) {
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

	/** The pins of every job of {@code views} (e.g. the API's job view). */
	public static ResumePins of(Iterable<JobView> views) {
		ResumePins pins = new ResumePins();
		for (JobView view : views) {
			if (view != null && view.jobId() != null && view.status() != null) {
				pins.onJobState(view);
			}
		}
		return pins;
	}

	/** The steps of {@code jobId} that jobs not yet ended resume from. */
	public Set<Integer> of(String jobId) {
		Map<String, Integer> resumers = this.pins.get(jobId);
		return (resumers != null) ? resumers.values().stream().collect(Collectors.toUnmodifiableSet()) : Set.of();
	}

}
