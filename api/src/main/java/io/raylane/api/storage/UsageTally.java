package io.raylane.api.storage;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds up the bytes under the shared root by owner of the place (pure; fed by
 * {@link StorageUsage}'s walk): {@code users/<user>/…} to that user's home,
 * {@code jobs/<job id>/…} to that job, {@code common/…} to common, anything else to
 * other. Paths are relative to the shared root.
 */
final class UsageTally {

	private final Map<String, Long> homes = new TreeMap<>();

	private final Map<String, Long> jobs = new TreeMap<>();

	private long common;

	private long other;

	private long entries;

	/** One entry of the walk; {@code bytes} is 0 for anything but a regular file. */
	void add(Path relative, long bytes) {
		this.entries++;
		int names = relative.getNameCount();
		String top = (names > 0) ? relative.getName(0).toString() : "";
		String second = (names > 1) ? relative.getName(1).toString() : null;
		if (top.equals("common")) {
			this.common += bytes;
		}
		else if (top.equals("users") && second != null) {
			this.homes.merge(second, bytes, Long::sum);
		}
		else if (top.equals("jobs") && second != null) {
			this.jobs.merge(second, bytes, Long::sum);
		}
		else {
			this.other += bytes;
		}
	}

	Map<String, Long> homes() {
		return Map.copyOf(this.homes);
	}

	Map<String, Long> jobs() {
		return Map.copyOf(this.jobs);
	}

	long common() {
		return this.common;
	}

	long other() {
		return this.other;
	}

	long entries() {
		return this.entries;
	}

	long total() {
		return this.common + this.other + this.homes.values().stream().mapToLong(Long::longValue).sum()
				+ this.jobs.values().stream().mapToLong(Long::longValue).sum();
	}

}
