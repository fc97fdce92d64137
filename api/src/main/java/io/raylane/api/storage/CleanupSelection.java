package io.raylane.api.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;

/**
 * Which jobs a cleanup looks at (pure): every selector given must match. Named jobs are
 * all answered, those not finished or unknown with the reason they are left alone;
 * otherwise only finished jobs are selected, by job id.
 */
final class CleanupSelection {

	private CleanupSelection() {
	}

	/** One selected job: its view, or null when {@code jobId} is unknown. */
	record Selected(String jobId, JobView view) {
	}

	static List<Selected> select(Collection<JobView> views, CleanupCriteria criteria, Instant now) {
		if (criteria.jobIds() != null) {
			Map<String, JobView> byId = views.stream()
				.filter((v) -> v.jobId() != null)
				.collect(Collectors.toMap(JobView::jobId, Function.identity(), (a, b) -> b));
			List<Selected> selected = new ArrayList<>();
			for (String id : criteria.jobIds()) {
				JobView view = byId.get(id);
				if (view == null || matches(view, criteria, now)) {
					selected.add(new Selected(id, view));
				}
			}
			return selected;
		}
		return views.stream()
			.filter((v) -> v.jobId() != null && v.status() != null && v.status().isTerminal())
			.filter((v) -> matches(v, criteria, now))
			.sorted(Comparator.comparing(JobView::jobId))
			.map((v) -> new Selected(v.jobId(), v))
			.toList();
	}

	/**
	 * The filters besides {@code job_ids}; a job not finished passes them, to be answered
	 * with the reason it is left alone.
	 */
	private static boolean matches(JobView view, CleanupCriteria criteria, Instant now) {
		if (criteria.user() != null && !criteria.user().equals(view.user())) {
			return false;
		}
		JobStatus status = view.status();
		boolean finished = status != null && status.isTerminal();
		if (criteria.states() != null && finished && !criteria.states().contains(status)) {
			return false;
		}
		if (criteria.olderThan() != null && finished) {
			Instant ended = endedAt(view);
			return ended != null && !ended.isAfter(now.minus(criteria.olderThan()));
		}
		return true;
	}

	/** When the job ended: its end time, else its last update. */
	static Instant endedAt(JobView view) {
		return (view.endedAt() != null) ? view.endedAt() : view.updatedAt();
	}

}
