package io.raylane.api.jobs;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;

import org.springframework.stereotype.Component;

/**
 * The API's materialized view of {@code raylane.job-states}: the latest JobView of every job, indexed by
 * owner. Fed by {@link JobStatesReader}; read by every GET. Plain Java, thread-safe: one writer thread (the
 * reader) plus request threads inserting read-your-writes placeholders.
 */
@Component
public final class JobViewStore {

	/** Newest first; a view without a submission time sorts last. */
	static final Comparator<JobView> NEWEST_FIRST = Comparator
		.comparing(JobView::submittedAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
		.thenComparing(JobView::jobId)
		.reversed();

	private final ConcurrentHashMap<String, JobView> views = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, Set<String>> idsByUser = new ConcurrentHashMap<>();

	/** QUEUED jobs per pool in FIFO order (accepted time, then id), so a pool's queue is read without a scan. */
	private final ConcurrentHashMap<String, ConcurrentSkipListMap<String, String>> queuedByPool = new ConcurrentHashMap<>();

	/** A snapshot from the topic: it is the truth and replaces whatever the store held for that job. */
	void apply(JobView view) {
		this.views.compute(view.jobId(), (id, old) -> {
			if (old != null && old.user() != null && !old.user().equals(view.user())) {
				userIds(old.user()).remove(id);
			}
			if (view.user() != null) {
				userIds(view.user()).add(id);
			}
			unindexQueued(old);
			if (view.status() == JobStatus.QUEUED && view.pool() != null) {
				this.queuedByPool.computeIfAbsent(view.pool(), (p) -> new ConcurrentSkipListMap<>())
					.put(queueKey(view), id);
			}
			return view;
		});
	}

	/** The QUEUED jobs of {@code pool}, in queue order (accepted time, then job id). */
	public List<JobView> queued(String pool) {
		Map<String, String> ids = this.queuedByPool.getOrDefault(pool, new ConcurrentSkipListMap<>());
		return ids.values()
			.stream()
			.map(this.views::get)
			.filter((v) -> v != null && v.status() == JobStatus.QUEUED && pool.equals(v.pool()))
			.toList();
	}

	/**
	 * A QUEUED job's live place in its pool's queue (1 = next), from this read model's queue order; the
	 * scheduler republishes a waiting job only when its reasons change, not each time it moves up.
	 */
	public JobView withLivePosition(JobView view) {
		if (view.status() != JobStatus.QUEUED || view.pool() == null) {
			return view;
		}
		ConcurrentSkipListMap<String, String> ids = this.queuedByPool.get(view.pool());
		if (ids == null || !ids.containsKey(queueKey(view))) {
			return view;
		}
		return view.toBuilder().position(ids.headMap(queueKey(view)).size() + 1).build();
	}

	private void unindexQueued(JobView old) {
		if (old != null && old.status() == JobStatus.QUEUED && old.pool() != null) {
			Map<String, String> ids = this.queuedByPool.get(old.pool());
			if (ids != null) {
				ids.remove(queueKey(old));
			}
		}
	}

	private static String queueKey(JobView view) {
		Instant at = (view.submittedAt() != null) ? view.submittedAt() : Instant.EPOCH;
		return String.format("%019d.%09d|%s", Math.max(0, at.getEpochSecond()), at.getNano(), view.jobId());
	}

	/**
	 * The caller's own write, shown until the topic's snapshot arrives. Never replaces a snapshot: if the
	 * scheduler's view got here first, it stays.
	 * @return whether the placeholder was inserted
	 */
	boolean addPlaceholder(JobView placeholder) {
		boolean[] inserted = { false };
		this.views.computeIfAbsent(placeholder.jobId(), (id) -> {
			userIds(placeholder.user()).add(id);
			inserted[0] = true;
			return placeholder;
		});
		return inserted[0];
	}

	/** A tombstone on the topic: the job is gone. */
	void remove(String jobId) {
		JobView old = this.views.remove(jobId);
		unindexQueued(old);
		if (old != null && old.user() != null) {
			userIds(old.user()).remove(jobId);
		}
	}

	Optional<JobView> get(String jobId) {
		return Optional.ofNullable(this.views.get(jobId));
	}

	/**
	 * @param user the owner whose jobs to list, or null for every job (admins)
	 * @param status only jobs in this status, or null for all
	 */
	List<JobView> list(String user, JobStatus status) {
		Collection<JobView> candidates = (user == null) ? this.views.values()
				: this.idsByUser.getOrDefault(user, Set.of()).stream().map(this.views::get).toList();
		return candidates.stream()
			.filter((v) -> v != null && (user == null || user.equals(v.user())))
			.filter((v) -> status == null || status == v.status())
			.sorted(NEWEST_FIRST)
			.toList();
	}

	int size() {
		return this.views.size();
	}

	private Set<String> userIds(String user) {
		return this.idsByUser.computeIfAbsent(user, (u) -> ConcurrentHashMap.newKeySet());
	}

}
