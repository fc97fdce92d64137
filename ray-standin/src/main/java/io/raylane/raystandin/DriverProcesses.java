package io.raylane.raystandin;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts, finds and signals driver processes. Each entrypoint runs as
 * {@code /bin/sh -c <entrypoint>} under a wrapper shell started with {@code setsid}, so
 * the wrapper's pid is also the process group (and session) id of everything the
 * entrypoint spawns; the wrapper records the entrypoint's exit code in a file, which
 * survives the head. The entrypoint is passed as an argument, never spliced into the
 * wrapper's script. Words that drop privileges ({@link DriverIsolation}) go before the
 * entrypoint's shell only: the wrapper keeps the head's user, so it can still write the
 * exit code into the head's state.
 */
final class DriverProcesses {

	/**
	 * $1 = entrypoint, $2 = exit-code file, then the words that run the entrypoint's
	 * shell as another user (none: as the head's); the code is written atomically (tmp +
	 * mv).
	 */
	static final String WRAPPER = "e=$1; f=$2; shift 2; \"$@\" /bin/sh -c \"$e\"; code=$?; printf '%s\\n' \"$code\" > \"$f.tmp\" && mv -f \"$f.tmp\" \"$f\"; exit \"$code\"";

	private DriverProcesses() {
	}

	record Launched(Process process, long pid, Long startMs) {
	}

	static Launched launch(String entrypoint, Path workDir, Path logFile, Path exitCodeFile, Map<String, String> env)
			throws IOException {
		return launch(entrypoint, workDir, logFile, exitCodeFile, env, List.of());
	}

	/**
	 * @param asUser words that run the entrypoint's shell as another user, or none
	 */
	static Launched launch(String entrypoint, Path workDir, Path logFile, Path exitCodeFile, Map<String, String> env,
			List<String> asUser) throws IOException {
		Files.createDirectories(workDir);
		Files.deleteIfExists(exitCodeFile);
		List<String> command = new java.util.ArrayList<>(
				List.of("setsid", "/bin/sh", "-c", WRAPPER, "raylane-driver", entrypoint, exitCodeFile.toString()));
		command.addAll(asUser);
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.directory(workDir.toFile());
		builder.environment().clear();
		builder.environment().putAll(env);
		builder.redirectErrorStream(true);
		builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
		builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
		Process process = builder.start();
		return new Launched(process, process.pid(), startMs(process.toHandle()));
	}

	/**
	 * Whether the process with this pid is still the one that was started (guards against
	 * pid reuse).
	 */
	static boolean sameProcess(long pid, Long startMs) {
		if (!running(pid)) {
			return false;
		}
		Long actual = ProcessHandle.of(pid).map(DriverProcesses::startMs).orElse(null);
		return startMs == null || actual == null || Math.abs(actual - startMs) < 2000;
	}

	/**
	 * Whether the process runs. A zombie does not: an adopted driver's wrapper is an
	 * orphan, and where PID 1 does not reap orphans (some containers) it stays a zombie
	 * for good, which {@link ProcessHandle#isAlive()} reports alive.
	 */
	static boolean running(long pid) {
		Path stat = Path.of("/proc", Long.toString(pid), "stat");
		try {
			return stateRunning(Files.readString(stat, StandardCharsets.US_ASCII));
		}
		catch (java.nio.file.NoSuchFileException ex) {
			return false;
		}
		catch (IOException ex) {
			return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
		}
	}

	/**
	 * Whether any process of the group is still running (zombies waiting for their reaper
	 * do not count).
	 */
	static boolean groupAlive(long pgid) {
		try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
			for (Path proc : procs) {
				if (inGroupAndRunning(proc.resolve("stat"), pgid)) {
					return true;
				}
			}
		}
		catch (IOException ex) {
			return running(pgid);
		}
		return false;
	}

	/** Sends {@code kill -<signal> -- -<pgid>}; a group that is already gone is fine. */
	static void signalGroup(long pgid, String signal) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			kill.waitFor(5, TimeUnit.SECONDS);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot run kill", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * TERM, wait up to {@code graceMs} for the group to end, then KILL; returns once the
	 * group is gone.
	 */
	static void terminateGroup(long pgid, long graceMs) throws InterruptedException {
		terminateGroups(List.of(pgid), graceMs);
	}

	/**
	 * {@link #terminateGroup} for several groups at once: one grace period for all of
	 * them.
	 */
	static void terminateGroups(List<Long> pgids, long graceMs) throws InterruptedException {
		pgids.forEach((pgid) -> signalGroup(pgid, "TERM"));
		if (!awaitGone(pgids, graceMs)) {
			pgids.stream().filter(DriverProcesses::groupAlive).forEach((pgid) -> signalGroup(pgid, "KILL"));
			awaitGone(pgids, 5000);
		}
	}

	private static boolean awaitGone(List<Long> pgids, long timeoutMs) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
		while (pgids.stream().anyMatch(DriverProcesses::groupAlive)) {
			if (System.nanoTime() >= deadline) {
				return false;
			}
			Thread.sleep(20);
		}
		return true;
	}

	private static boolean inGroupAndRunning(Path statFile, long pgid) {
		try {
			String stat = Files.readString(statFile, StandardCharsets.US_ASCII);
			return Long.parseLong(statFields(stat)[2]) == pgid && stateRunning(stat);
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	/**
	 * {@code /proc/<pid>/stat} is "pid (comm) state ppid pgrp ..."; comm may hold spaces
	 * and parentheses.
	 */
	private static String[] statFields(String stat) {
		return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
	}

	private static boolean stateRunning(String stat) {
		char state = statFields(stat)[0].charAt(0);
		return state != 'Z' && state != 'X';
	}

	private static Long startMs(ProcessHandle handle) {
		return handle.info().startInstant().map(Instant::toEpochMilli).orElse(null);
	}

}
