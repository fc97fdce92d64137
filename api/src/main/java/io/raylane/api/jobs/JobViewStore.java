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
import java.util.concurrent.atomic.AtomicLong;

import io.raylane.api.ApiProperties;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The API's materialized view of {@code raylane.job-states}: the latest JobView of every
 * job, indexed by owner. Fed by {@link JobStatesReader}; read by every GET. Plain Java,
 * thread-safe: one writer thread (the reader) plus request threads inserting
 * read-your-writes placeholders. Keeps the counts the metrics need (jobs by status, queue
 * depth per pool) and each user's jobs queued or running (issue 12, {@code max_jobs}) up
 * to date as views change, so a scrape or a submit costs nothing per job.
 * <p>
 * Bounded (issue 12): at most {@code raylane.api.max-finished-jobs} views of ended jobs
 * are kept; past it the job that ended first is dropped (it then answers 404 and is no
 * longer listed; its record stays on {@code raylane.job-states}). Jobs still queued or
 * running are never dropped: their number is bounded by the per-user cap.
 */
@Component
public final class JobViewStore {

	/**
	 * Newest first, by {@link #sortKey}; a view without a submission time sorts last.
	 */
	static final Comparator<JobView> NEWEST_FIRST = Comparator
		.comparingLong((JobView view) -> keySeconds(view.submittedAt()))
		.thenComparingInt((view) -> keyNanos(view.submittedAt()))
		.thenComparing((view) -> String.valueOf(view.jobId()))
		.reversed();

	/** The order of {@link #sortKey}s in {@link #NEWEST_FIRST}: descending. */
	static final Comparator<String> NEWEST_FIRST_KEYS = Comparator.<String>naturalOrder().reversed();

	private final ConcurrentHashMap<String, JobView> views = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, Set<String>> idsByUser = new ConcurrentHashMap<>();

	/**
	 * QUEUED jobs per pool in FIFO order (accepted time, then id), so a pool's queue is
	 * read without a scan.
	 */
	private final ConcurrentHashMap<String, ConcurrentSkipListMap<String, String>> queuedByPool = new ConcurrentHashMap<>();

	/**
	 * Jobs by status, counted as views come and go (for the {@code raylane_jobs} gauge).
	 */
	private final Map<JobStatus, AtomicLong> byStatus = new java.util.EnumMap<>(JobStatus.class);

	/** QUEUED jobs per pool, counted (a skip list's size() walks it). */
	private final ConcurrentHashMap<String, AtomicLong> queueDepth = new ConcurrentHashMap<>();

	/** Each user's jobs not ended (placeholders included), counted. */
	private final ConcurrentHashMap<String, AtomicLong> activeByUser = new ConcurrentHashMap<>();

	/**
	 * Ended jobs, oldest end first ({@code <ended or updated at>|<job id>} → job id): the
	 * ones dropped first past {@link #maxFinished}.
	 */
	private final ConcurrentSkipListMap<String, String> finished = new ConcurrentSkipListMap<>();

	private final int maxFinished;

	/** A store keeping {@link ApiProperties.Api#DEFAULT_MAX} ended jobs. */
	public JobViewStore() {
		this(ApiProperties.Api.DEFAULT_MAX);
	}

	@Autowired
	JobViewStore(ApiProperties properties) {
		this(properties.api().maxFinishedJobs());
	}

	/**
	 * @param maxFinished views of ended jobs kept
	 */
	JobViewStore(int maxFinished) {
		this.maxFinished = maxFinished;
		for (JobStatus status : JobStatus.values()) {
			this.byStatus.put(status, new AtomicLong());
		}
	}

	/**
	 * A snapshot from the topic: it is the truth and replaces whatever the store held for
	 * that job.
	 */
	void apply(JobView view) {
		this.views.compute(view.jobId(), (id, old) -> {
			count(old, -1);
			count(view, +1);
			if (old != null && old.user() != null && !old.user().equals(view.user())) {
				userIds(old.user()).remove(id);
			}
			if (view.user() != null) {
				userIds(view.user()).add(id);
			}
			unindexQueued(old);
			if (view.status() == JobStatus.QUEUED && view.pool() != null
					&& this.queuedByPool.computeIfAbsent(view.pool(), (p) -> new ConcurrentSkipListMap<>())
						.put(queueKey(view), id) == null) {
				depth(view.pool()).incrementAndGet();
			}
			unindexFinished(old);
			if (ended(view)) {
				this.finished.put(finishedKey(view), id);
			}
			return view;
		});
		// one writer (the reader thread) drops: never two at once
		while (this.finished.size() > this.maxFinished) {
			Map.Entry<String, String> oldest = this.finished.pollFirstEntry();
			if (oldest != null) {
				evict(oldest.getValue());
			}
		}
	}

	/**
	 * How many of {@code user}'s jobs are not ended (accepted, queued or running): the
	 * API's check of {@code max_jobs}.
	 */
	public long active(String user) {
		AtomicLong active = this.activeByUser.get(user);
		return (active != null) ? active.get() : 0;
	}

	/**
	 * The sort key of {@link #NEWEST_FIRST} and of a list's {@code page_token}: the
	 * submission time, then the job id.
	 */
	public static String sortKey(JobView view) {
		return queueKey(view);
	}

	/** {@link #sortKey(JobView)} of a job submitted at {@code at}. */
	public static String sortKey(Instant at, String jobId) {
		return timeKey(at, jobId);
	}

	/**
	 * {@code <seconds, 19 digits>.<nanos, 9 digits>|<job id>}: sorts as the time, then
	 * the id. Built by hand: {@code String.format} here was most of the CPU of listing a
	 * user's jobs, called for every job of every page (issue 17).
	 */
	private static String timeKey(Instant at, String jobId) {
		StringBuilder key = new StringBuilder(30 + ((jobId != null) ? jobId.length() : 4));
		zeroPadded(key, keySeconds(at), 19).append('.');
		return zeroPadded(key, keyNanos(at), 9).append('|').append(jobId).toString();
	}

	private static long keySeconds(Instant at) {
		return (at != null) ? Math.max(0, at.getEpochSecond()) : 0;
	}

	private static int keyNanos(Instant at) {
		return (at != null) ? at.getNano() : 0;
	}

	private static StringBuilder zeroPadded(StringBuilder out, long value, int width) {
		String digits = Long.toString(value);
		out.append("0".repeat(Math.max(0, width - digits.length())));
		return out.append(digits);
	}

	private void evict(String jobId) {
		this.views.computeIfPresent(jobId, (id, old) -> {
			if (!ended(old)) {
				return old;
			}
			count(old, -1);
			if (old.user() != null) {
				userIds(old.user()).remove(id);
			}
			return null;
		});
	}

	private static boolean ended(JobView view) {
		return view != null && view.status() != null && view.status().isTerminal();
	}

	private void unindexFinished(JobView old) {
		if (ended(old)) {
			this.finished.remove(finishedKey(old));
		}
	}

	private static String finishedKey(JobView view) {
		Instant at = (view.endedAt() != null) ? view.endedAt()
				: (view.updatedAt() != null) ? view.updatedAt() : Instant.EPOCH;
		return timeKey(at, view.jobId());
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
	 * A QUEUED job's live place in its pool's queue (1 = next), from this read model's
	 * queue order; the scheduler republishes a waiting job only when its reasons change,
	 * not each time it moves up.
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
			if (ids != null && ids.remove(queueKey(old)) != null) {
				depth(old.pool()).decrementAndGet();
			}
		}
	}

	private static String queueKey(JobView view) {
		return sortKey(view.submittedAt(), view.jobId());
	}

	/**
	 * The caller's own write, shown until the topic's snapshot arrives. Never replaces a
	 * snapshot: if the scheduler's view got here first, it stays.
	 * @return whether the placeholder was inserted
	 */
	boolean addPlaceholder(JobView placeholder) {
		boolean[] inserted = { false };
		this.views.computeIfAbsent(placeholder.jobId(), (id) -> {
			userIds(placeholder.user()).add(id);
			count(placeholder, +1);
			inserted[0] = true;
			return placeholder;
		});
		return inserted[0];
	}

	/** A tombstone on the topic: the job is gone. */
	void remove(String jobId) {
		JobView old = this.views.remove(jobId);
		count(old, -1);
		unindexQueued(old);
		unindexFinished(old);
		if (old != null && old.user() != null) {
			userIds(old.user()).remove(jobId);
		}
	}

	public Optional<JobView> get(String jobId) {
		return Optional.ofNullable(this.views.get(jobId));
	}

	/** Every user's jobs in {@code status} (the ops API's plans, issue 16). */
	public List<JobView> inStatus(JobStatus status) {
		return list(null, status);
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

	/**
	 * Every view now held, in no order: what the storage cleanup selects from and takes
	 * the resume pins of (issue 16).
	 */
	public List<JobView> snapshot() {
		return List.copyOf(this.views.values());
	}

	/** How many jobs are in {@code status} now. */
	public long count(JobStatus status) {
		return this.byStatus.get(status).get();
	}

	/** How many jobs are QUEUED in {@code pool} now. */
	public long queueDepth(String pool) {
		AtomicLong depth = this.queueDepth.get(pool);
		return (depth != null) ? depth.get() : 0;
	}

	/**
	 * When the oldest QUEUED job of {@code pool} was submitted, or null when none waits.
	 */
	public Instant oldestQueuedSubmittedAt(String pool) {
		ConcurrentSkipListMap<String, String> ids = this.queuedByPool.get(pool);
		Map.Entry<String, String> first = (ids != null) ? ids.firstEntry() : null;
		JobView view = (first != null) ? this.views.get(first.getValue()) : null;
		return (view != null) ? view.submittedAt() : null;
	}

	/** Every pool that ever had a QUEUED job in this view. */
	public Set<String> queuePools() {
		return Set.copyOf(this.queuedByPool.keySet());
	}

	private void count(JobView view, int delta) {
		if (view != null && view.status() != null) {
			this.byStatus.get(view.status()).addAndGet(delta);
			if (!view.status().isTerminal() && view.user() != null) {
				this.activeByUser.computeIfAbsent(view.user(), (u) -> new AtomicLong()).addAndGet(delta);
			}
		}
	}

	private AtomicLong depth(String pool) {
		return this.queueDepth.computeIfAbsent(pool, (p) -> new AtomicLong());
	}

	private Set<String> userIds(String user) {
		return this.idsByUser.computeIfAbsent(user, (u) -> ConcurrentHashMap.newKeySet());
	}

}
