package io.raylane.deploy.localray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ray start --block} processes of a local Ray, in {@code
 *
<dir>
 * /pids} (one line each: node, PID, start time in epoch ms), so that what a crashed
 * all-in-one left running can be stopped by the next one; and killing processes by
 * handle. A PID is only acted on while it still has its recorded start time (PIDs are
 * reused).
 */
final class LocalRayPids {

	private static final Logger log = LoggerFactory.getLogger(LocalRayPids.class);

	private static final String FILE = "pids";

	private static final Duration GRACE = Duration.ofSeconds(30);

	private LocalRayPids() {
	}

	static void write(Path dir, Map<String, ProcessHandle> processes) {
		StringBuilder text = new StringBuilder();
		processes.forEach((node, handle) -> text.append(node)
			.append(' ')
			.append(handle.pid())
			.append(' ')
			.append(handle.info().startInstant().map(Instant::toEpochMilli).orElse(0L))
			.append('\n'));
		try {
			Files.writeString(dir.resolve(FILE), text, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void delete(Path dir) {
		try {
			Files.deleteIfExists(dir.resolve(FILE));
		}
		catch (IOException ex) {
			log.warn("cannot delete {}: {}", dir.resolve(FILE), ex.toString());
		}
	}

	/**
	 * Stops the nodes a previous all-in-one on this directory left running: SIGTERM to
	 * each {@code ray start}, then SIGKILL for what is left of them after the grace
	 * period.
	 */
	static void stopLeftovers(Path dir) {
		Path file = dir.resolve(FILE);
		if (!Files.isRegularFile(file)) {
			return;
		}
		List<ProcessHandle> starts = new ArrayList<>();
		List<ProcessHandle> all = new ArrayList<>();
		try {
			for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
				String[] parts = line.trim().split("\\s+");
				if (parts.length == 3) {
					still(Long.parseLong(parts[1]), Long.parseLong(parts[2])).ifPresent((handle) -> {
						starts.add(handle);
						all.add(handle);
						handle.descendants().forEach(all::add);
					});
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			log.warn("cannot read {}: {}", file, ex.toString());
		}
		if (!starts.isEmpty()) {
			log.warn("stopping the local Ray a previous Raylane left running in {} ({} processes)", dir, all.size());
			starts.forEach(ProcessHandle::destroy);
			long deadline = System.nanoTime() + GRACE.toNanos();
			while (starts.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
				sleep();
			}
			kill(all);
		}
		delete(dir);
	}

	/** SIGKILLs each process still alive; returns how many were. */
	static int kill(List<ProcessHandle> processes) {
		List<ProcessHandle> alive = processes.stream().filter(ProcessHandle::isAlive).toList();
		alive.forEach(ProcessHandle::destroyForcibly);
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (alive.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
			sleep();
		}
		return alive.size();
	}

	private static Optional<ProcessHandle> still(long pid, long startMillis) {
		return ProcessHandle.of(pid)
			.filter(ProcessHandle::isAlive)
			.filter((h) -> h.info().startInstant().map(Instant::toEpochMilli).orElse(0L) == startMillis);
	}

	private static void sleep() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
