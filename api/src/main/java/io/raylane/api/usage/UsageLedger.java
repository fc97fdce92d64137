package io.raylane.api.usage;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.raylane.topics.events.GpuUsage;

import org.springframework.stereotype.Component;

/**
 * The API's in-memory copy of {@code raylane.accounting}: every {@link GpuUsage} once, by its deterministic id
 * (a record read twice, e.g. produced again after an observer restart, counts once), indexed by user so a
 * user's query reads only their records. Fed by {@link AccountingReader}; read by {@link UsageController}.
 * Plain Java, thread-safe (one writer thread, request threads reading).
 */
@Component
final class UsageLedger {

	private final ConcurrentHashMap<String, GpuUsage> byId = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, Map<String, GpuUsage>> byUser = new ConcurrentHashMap<>();

	/**
	 * Keeps {@code usage} unless a record with its id is already kept (the first one read wins).
	 * @return whether it was new
	 */
	boolean add(GpuUsage usage) {
		if (this.byId.containsKey(usage.id())) {
			return false;
		}
		GpuUsage kept = compact(usage);
		if (this.byId.putIfAbsent(kept.id(), kept) != null) {
			return false;
		}
		this.byUser.computeIfAbsent(kept.user(), (u) -> new ConcurrentHashMap<>()).put(kept.id(), kept);
		return true;
	}

	/**
	 * The same record with its few distinct strings (user, pool, workload) shared: the ledger holds every
	 * interval of every job, so each byte per record counts.
	 */
	private static GpuUsage compact(GpuUsage u) {
		return new GpuUsage(u.schemaVersion(), u.id(), u.jobId(), intern(u.user()), intern(u.pool()),
				intern(u.workload()), u.gpus(), u.intervalIndex(), u.intervalStart(), u.intervalEnd(), u.gpuSeconds(),
				u.isFinal(), u.avgGpuUtilization(), u.peakGpuMemoryMib());
	}

	private static String intern(String text) {
		return (text != null) ? text.intern() : null;
	}

	/** The records of {@code user}, or every record when {@code user} is null (admins). */
	Collection<GpuUsage> records(String user) {
		if (user == null) {
			return this.byId.values();
		}
		Map<String, GpuUsage> records = this.byUser.get(user);
		return (records != null) ? records.values() : List.of();
	}

	int size() {
		return this.byId.size();
	}

}
