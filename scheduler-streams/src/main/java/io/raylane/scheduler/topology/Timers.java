package io.raylane.scheduler.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.raylane.scheduler.core.JobTimer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The deadline index (store {@value SchedulerTopology#STORE_TIMERS}):
 * {@code <epoch ms, fixed width>|<jobId>} → timer kind ({@link JobTimer#code()}). Its key
 * order is deadline order, so the punctuator reads only the timers that are due, never
 * every job. A job has at most one timer; its key is kept on its {@link JobEntry} so it
 * can be replaced.
 */
final class Timers {

	private final KeyValueStore<String, String> store;

	Timers(KeyValueStore<String, String> store) {
		this.store = store;
	}

	static String key(Instant at, String jobId) {
		return QueueKeys.zeroPadded(Math.max(0, at.toEpochMilli()), 19) + "|" + jobId;
	}

	static String jobId(String key) {
		return key.substring(key.indexOf('|') + 1);
	}

	/** Replaces the job's timer with one of {@code kind} at {@code at}. */
	JobEntry set(JobEntry entry, Instant at, JobTimer kind) {
		JobEntry cleared = clear(entry);
		String key = key(at, entry.view().jobId());
		this.store.put(key, kind.code());
		return cleared.withTimer(key);
	}

	JobEntry clear(JobEntry entry) {
		if (entry.timer() == null) {
			return entry;
		}
		this.store.delete(entry.timer());
		return entry.withTimer(null);
	}

	/** Up to {@code limit} timers due at {@code now}, earliest first. */
	List<KeyValue<String, String>> due(Instant now, int limit) {
		String bound = QueueKeys.zeroPadded(Math.max(0, now.toEpochMilli()), 19) + "}";
		List<KeyValue<String, String>> result = new ArrayList<>();
		try (KeyValueIterator<String, String> it = this.store.range(null, bound)) {
			while (it.hasNext() && result.size() < limit) {
				result.add(it.next());
			}
		}
		return result;
	}

	void delete(String key) {
		this.store.delete(key);
	}

}
