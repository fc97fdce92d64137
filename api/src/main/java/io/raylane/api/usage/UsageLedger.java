package io.raylane.api.usage;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import io.raylane.api.ApiProperties;
import io.raylane.topics.events.GpuUsage;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The API's in-memory copy of {@code raylane.accounting}: every accounting record once,
 * by its deterministic id {@code <job id>/<interval index>} (a record read twice, e.g.
 * produced again after an observer restart, counts once; the first one read wins),
 * grouped by job ({@link JobUsage}: owner, pool and workload kept once per job) and
 * indexed by user, so a user's query reads only their jobs. Fed by
 * {@link AccountingReader}; read by {@link UsageController}. Plain Java, thread-safe (one
 * writer thread, request threads reading).
 * <p>
 * Bounded (issue 12): at most {@code raylane.api.max-usage-jobs} jobs are kept; past it
 * the job whose last interval ended first is dropped, and {@link #completeSince()} says
 * from when on every kept window is complete (the records stay on
 * {@code raylane.accounting} for downstream analytics).
 */
@Component
final class UsageLedger {

	private final ConcurrentHashMap<String, JobUsage> jobs = new ConcurrentHashMap<>();

	/**
	 * Jobs by the end of their last interval ({@code <end millis>|<job id>}), the first
	 * dropped first.
	 */
	private final ConcurrentSkipListMap<String, String> byEnd = new ConcurrentSkipListMap<>();

	private final int maxJobs;

	/** The latest end of a dropped job's intervals, or {@code Long.MIN_VALUE}. */
	private volatile long completeSinceMillis = Long.MIN_VALUE;

	/** A ledger keeping {@link ApiProperties.Api#DEFAULT_MAX} jobs. */
	UsageLedger() {
		this(ApiProperties.Api.DEFAULT_MAX);
	}

	@Autowired
	UsageLedger(ApiProperties properties) {
		this(properties.api().maxUsageJobs());
	}

	/**
	 * @param maxJobs jobs whose records are kept
	 */
	UsageLedger(int maxJobs) {
		this.maxJobs = maxJobs;
	}

	private final ConcurrentHashMap<String, Set<JobUsage>> byUser = new ConcurrentHashMap<>();

	private final AtomicLong records = new AtomicLong();

	/**
	 * Keeps {@code usage} unless its id is kept already. The job's owner, pool and
	 * workload are those of its first record read (all records of a job carry the same).
	 * @return whether it was new
	 * @throws IllegalArgumentException when its id is not
	 * {@code <job id>/<interval index>}, the key of deduplication
	 */
	boolean add(GpuUsage usage) {
		if (!GpuUsage.idOf(usage.jobId(), usage.intervalIndex()).equals(usage.id())) {
			throw new IllegalArgumentException("GpuUsage id '" + usage.id() + "' is not <job_id>/<interval_index> ("
					+ GpuUsage.idOf(usage.jobId(), usage.intervalIndex()) + ")");
		}
		JobUsage job = this.jobs.computeIfAbsent(usage.jobId(), (id) -> {
			JobUsage created = new JobUsage(id, intern(usage.user()), intern(usage.pool()), intern(usage.workload()));
			this.byUser.computeIfAbsent(created.user(), (u) -> ConcurrentHashMap.newKeySet()).add(created);
			return created;
		});
		long endBefore = job.endMillis();
		boolean added = job.add(usage);
		if (added) {
			this.records.incrementAndGet();
			if (job.endMillis() != endBefore) {
				this.byEnd.remove(endKey(endBefore, job.jobId()));
				this.byEnd.put(endKey(job.endMillis(), job.jobId()), job.jobId());
			}
			while (this.jobs.size() > this.maxJobs) {
				dropOldest();
			}
		}
		return added;
	}

	/**
	 * From when on the kept records are every record read: windows starting then or later
	 * are complete; null while no job was dropped.
	 */
	Instant completeSince() {
		long since = this.completeSinceMillis;
		return (since == Long.MIN_VALUE) ? null : Instant.ofEpochMilli(since);
	}

	/** Jobs kept. */
	int jobCount() {
		return this.jobs.size();
	}

	private void dropOldest() {
		Map.Entry<String, String> oldest = this.byEnd.pollFirstEntry();
		if (oldest == null) {
			return;
		}
		JobUsage dropped = this.jobs.remove(oldest.getValue());
		if (dropped != null) {
			Set<JobUsage> owned = this.byUser.get(dropped.user());
			if (owned != null) {
				owned.remove(dropped);
			}
			this.records.addAndGet(-dropped.intervals().length);
			this.completeSinceMillis = Math.max(this.completeSinceMillis, dropped.endMillis());
		}
	}

	private static String endKey(long endMillis, String jobId) {
		// the sign bit flipped: the unsigned text orders as the signed numbers do
		String end = Long.toUnsignedString(endMillis ^ Long.MIN_VALUE);
		return "0".repeat(20 - end.length()) + end + "|" + jobId;
	}

	/** The jobs of {@code user}, or every job when {@code user} is null (admins). */
	Collection<JobUsage> jobs(String user) {
		if (user == null) {
			return this.jobs.values();
		}
		Set<JobUsage> jobs = this.byUser.get(user);
		return (jobs != null) ? jobs : List.of();
	}

	/** Accounting records kept. */
	long size() {
		return this.records.get();
	}

	/**
	 * The few distinct users, pools and workloads are shared by every job that names
	 * them.
	 */
	private static String intern(String text) {
		return (text != null) ? text.intern() : null;
	}

}
