package io.raylane.api.usage;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.raylane.topics.events.GpuUsage;

import org.springframework.stereotype.Component;

/**
 * The API's in-memory copy of {@code raylane.accounting}: every accounting record once,
 * by its deterministic id {@code <job id>/<interval index>} (a record read twice, e.g.
 * produced again after an observer restart, counts once; the first one read wins),
 * grouped by job ({@link JobUsage}: owner, pool and workload kept once per job) and
 * indexed by user, so a user's query reads only their jobs. Fed by
 * {@link AccountingReader}; read by {@link UsageController}. Plain Java, thread-safe (one
 * writer thread, request threads reading).
 */
@Component
final class UsageLedger {

	private final ConcurrentHashMap<String, JobUsage> jobs = new ConcurrentHashMap<>();

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
		boolean added = job.add(usage);
		if (added) {
			this.records.incrementAndGet();
		}
		return added;
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
