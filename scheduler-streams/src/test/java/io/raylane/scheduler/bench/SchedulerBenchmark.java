package io.raylane.scheduler.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.raylane.scheduler.topology.HandlerBench;

/**
 * The scheduler benchmark (not a unit test; run it with the command in
 * docs/benchmarks.md): for 1k, 10k and 100k queued jobs against 10, 100 and 1,000 nodes,
 * the time per event (wall clock, and this thread's CPU time, which a busy machine
 * distorts less) and the decisions per second of the real topology (RocksDB stores,
 * exactly-once) when running jobs end and queued jobs are dispatched, then (the pool
 * scheduler's handling of one event over RocksDB stores: stores, planner, outputs built;
 * Kafka's own I/O, batched per commit interval, excluded), then the restore time of a
 * restarted scheduler holding 100k jobs on a real broker
 * ({@link io.raylane.scheduler.topology.RestoreBenchmark}).
 */
public final class SchedulerBenchmark {

	private SchedulerBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int events = Integer.getInteger("bench.events", 500);
		int[] queues = parse(System.getProperty("bench.queued", "1000,10000,100000"));
		int[] fleets = parse(System.getProperty("bench.nodes", "10,100,1000"));
		boolean spread = !"equal".equals(System.getProperty("bench.deadlines", "spread"));
		Path root = Files.createTempDirectory("raylane-bench");
		System.out.println("running jobs' deadlines: " + (spread ? "spread (one job started per second)"
				: "all equal (worst case for the reservation sweep)"));
		System.out.println("outputs: " + (Boolean.getBoolean("bench.outputs")
				? "measured and encoded as the topology sends them (-Dbench.outputs=true)" : "built, not encoded"));
		System.out.printf("%-8s %-6s %8s %14s %14s %14s %14s %14s%n", "queued", "nodes", "events", "mean us/event",
				"p99 us/event", "decisions/s", "cpu us/event", "decisions/cpu-s");
		for (int queued : queues) {
			for (int nodes : fleets) {
				run(root.resolve(queued + "-" + nodes), queued, nodes, Math.min(events, queued), spread);
			}
		}
		if (!Boolean.getBoolean("bench.skipRestore")) {
			io.raylane.scheduler.topology.RestoreBenchmark.run(root.resolve("restore"),
					Integer.getInteger("bench.restoreJobs", 100_000));
		}
	}

	private static void run(Path dir, int queued, int nodes, int measuredEvents, boolean spread) throws Exception {
		int events = measuredEvents;
		try (HandlerBench bench = new HandlerBench(dir, nodes, queued, spread, Boolean.getBoolean("bench.outputs"))) {
			// warm up on a tenth of the events, then measure as many as jobs still wait
			int warmUp = Math.max(1, events / 10);
			for (int i = 0; i < warmUp; i++) {
				bench.finishOne();
			}
			events = Math.min(events, queued - warmUp);
			List<Long> times = new ArrayList<>();
			long dispatched = 0;
			long total = 0;
			long cpu = 0;
			for (int i = 0; i < events; i++) {
				long[] result = bench.finishOne();
				times.add(result[0]);
				total += result[0];
				dispatched += result[1];
				cpu += result[2];
			}
			if (dispatched != events) {
				// each event frees one 8-GPU node and a 1x8 job waits: a run that does
				// not
				// dispatch one job per event measures something else
				throw new IllegalStateException(
						"expected " + events + " dispatches, got " + dispatched + " (" + queued + " queued)");
			}
			times.sort(null);
			double meanUs = total / 1000.0 / events;
			double p99Us = times.get((int) Math.min(times.size() - 1, Math.ceil(times.size() * 0.99) - 1)) / 1000.0;
			double perSecond = dispatched / (total / 1e9);
			double cpuUs = cpu / 1000.0 / events;
			double perCpuSecond = dispatched / (cpu / 1e9);
			System.out.printf(Locale.ROOT, "%-8d %-6d %8d %14.1f %14.1f %14.0f %14.1f %14.0f%n", queued, nodes, events,
					meanUs, p99Us, perSecond, cpuUs, perCpuSecond);
		}
	}

	private static int[] parse(String list) {
		return Arrays.stream(list.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
	}

}
