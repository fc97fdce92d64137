package io.raylane.deploy.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the machine's CPU went during a phase: each thread of this JVM (the whole
 * platform runs in it, grouped by name without numbers and ids), the processes it started
 * (the stand-in's drivers, from {@code /proc/self/stat}) and the machine as a whole
 * ({@code /proc/stat}). The two cores are shared by everything, so a hop that waits may
 * wait for a core.
 */
final class CpuShare {

	private final Map<String, Long> threadNanos;

	private final long childTicks;

	private final long machineBusyTicks;

	private final long machineAllTicks;

	private CpuShare(Map<String, Long> threadNanos, long childTicks, long machineBusyTicks, long machineAllTicks) {
		this.threadNanos = threadNanos;
		this.childTicks = childTicks;
		this.machineBusyTicks = machineBusyTicks;
		this.machineAllTicks = machineAllTicks;
	}

	static CpuShare now() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		Map<String, Long> byGroup = new HashMap<>();
		for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
			if (info == null) {
				continue;
			}
			long nanos = threads.getThreadCpuTime(info.getThreadId());
			if (nanos > 0) {
				byGroup.merge(group(info.getThreadName()), nanos, Long::sum);
			}
		}
		long children = 0;
		long busy = 0;
		long all = 0;
		try {
			// after the command's parenthesis: field 3 is the state; cutime, cstime are
			// fields 16 and 17
			String self = Files.readString(Path.of("/proc/self/stat"));
			String[] fields = self.substring(self.lastIndexOf(')') + 2).split(" ");
			children = Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
			String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			for (int i = 1; i < cpu.length; i++) {
				long ticks = Long.parseLong(cpu[i]);
				all += ticks;
				// idle and iowait are not busy
				busy += (i == 4 || i == 5) ? 0 : ticks;
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux: threads only
		}
		return new CpuShare(byGroup, children, busy, all);
	}

	/** A thread's name without its numbers and ids: one line per kind of thread. */
	static String group(String name) {
		return name.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "*")
			.replaceAll("[0-9]+", "N");
	}

	/** Prints the largest consumers between {@code before} and now, in CPU seconds. */
	void printSince(CpuShare before, int top) {
		long ticksPerSecond = 100;
		Map<String, Long> delta = new HashMap<>();
		this.threadNanos
			.forEach((group, nanos) -> delta.put(group, nanos - before.threadNanos.getOrDefault(group, 0L)));
		long threadsTotal = delta.values().stream().mapToLong(Long::longValue).sum();
		System.out.printf(
				"  CPU during the phase: machine %.1f s busy of %.1f s (all cores), this JVM's threads %.1f s,"
						+ " processes it started %.1f s; largest thread groups:%n",
				(this.machineBusyTicks - before.machineBusyTicks) / (double) ticksPerSecond,
				(this.machineAllTicks - before.machineAllTicks) / (double) ticksPerSecond, threadsTotal / 1e9,
				(this.childTicks - before.childTicks) / (double) ticksPerSecond);
		delta.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.limit(top)
			.forEach((e) -> System.out.printf("    %6.1f s  %s%n", e.getValue() / 1e9, e.getKey()));
	}

}
