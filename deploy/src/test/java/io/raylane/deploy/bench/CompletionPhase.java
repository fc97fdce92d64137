package io.raylane.deploy.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.raylane.raystandin.LocalRayHead;
import tools.jackson.databind.JsonNode;

/**
 * Goal 3: completion seen. N one-GPU jobs sleep for staggered times (so their ends spread
 * over several seconds while the others still run); for each, the time from its end on
 * Ray ({@code end_time}, the JobView's {@code ended_at}) to its terminal JobView becoming
 * visible on {@code raylane.job-states}: the scheduler writes it in the same transaction
 * that releases the job's GPUs. Beside it, the HTTP requests the local Ray head served
 * per second meanwhile, per route.
 */
final class CompletionPhase {

	private CompletionPhase() {
	}

	static void run(BenchClient client, TopicWatch watch, LocalRayHead head, int jobs, double sleepBase,
			double sleepSpread) throws Exception {
		Map<String, Long> requestsBefore = head.requestCounts();
		long begin = System.currentTimeMillis();
		// job i sleeps base + (i mod 40) / 40 * spread seconds
		List<BenchClient.Posted> posted = new ArrayList<>();
		List<String> specs = new ArrayList<>();
		for (int i = 0; i < jobs; i++) {
			specs.add(String.format(java.util.Locale.ROOT,
					"name: bench-completion%nworkload: command%ncommand: 'sleep %.2f'%n"
							+ "resources: {nnodes: 1, n_gpus_per_node: 1}%n",
					sleepBase + (i % 40) / 40.0 * sleepSpread));
		}
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
		try {
			List<java.util.concurrent.Future<BenchClient.Posted>> futures = new ArrayList<>();
			for (String spec : specs) {
				futures.add(pool.submit(() -> client.submit(spec)));
			}
			for (java.util.concurrent.Future<BenchClient.Posted> future : futures) {
				posted.add(future.get());
			}
		}
		finally {
			pool.shutdownNow();
		}
		Set<String> ids = posted.stream().map(BenchClient.Posted::jobId).collect(Collectors.toSet());
		Map<String, TopicWatch.Seen> ends = awaitTerminal(watch, ids, Duration.ofMinutes(10));
		long end = System.currentTimeMillis();
		Map<String, Long> requestsAfter = head.requestCounts();
		List<Double> seen = new ArrayList<>();
		List<long[]> spans = new ArrayList<>();
		for (TopicWatch.Seen terminal : ends.values()) {
			JsonNode view = terminal.value();
			if (!view.hasNonNull("ended_at") || !view.hasNonNull("started_at")) {
				continue;
			}
			long endedAt = Instant.parse(view.get("ended_at").asString()).toEpochMilli();
			seen.add((double) (terminal.visibleAtMs() - endedAt));
			spans.add(new long[] { Instant.parse(view.get("started_at").asString()).toEpochMilli(), endedAt });
		}
		long firstEnd = spans.stream().mapToLong((s) -> s[1]).min().orElse(0);
		long running = spans.stream().filter((s) -> s[0] <= firstEnd && s[1] >= firstEnd).count();
		double seconds = (end - begin) / 1000.0;
		System.out.printf("%n[3] completion seen: %d one-GPU jobs sleeping %.1f..%.1f s; %d running at the first end%n",
				jobs, sleepBase, sleepBase + sleepSpread, running);
		System.out.println(
				"  Ray end_time -> terminal JobView visible (GPUs released): " + Percentiles.of(seen).format(" ms"));
		long total = 0;
		Map<String, Long> delta = new TreeMap<>();
		for (Map.Entry<String, Long> after : requestsAfter.entrySet()) {
			long d = after.getValue() - requestsBefore.getOrDefault(after.getKey(), 0L);
			if (d > 0) {
				delta.put(after.getKey(), d);
				total += d;
			}
		}
		System.out.printf("  Ray head requests during the phase (%.1f s): %d, %.1f/s%n", seconds, total,
				total / seconds);
		delta.forEach((route, count) -> System.out.printf("    %-34s %6d  %6.1f/s%n", route, count, count / seconds));
	}

	static Map<String, TopicWatch.Seen> awaitTerminal(TopicWatch watch, Set<String> ids, Duration patience)
			throws InterruptedException {
		long deadline = System.nanoTime() + patience.toNanos();
		while (true) {
			Map<String, TopicWatch.Seen> ends = new java.util.HashMap<>();
			for (String id : ids) {
				TopicWatch.Seen seen = watch.first(Milestones.TERMINAL, id);
				if (seen != null) {
					ends.put(id, seen);
				}
			}
			if (ends.size() == ids.size()) {
				return ends;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(ends.size() + " of " + ids.size() + " jobs ended");
			}
			Thread.sleep(200);
		}
	}

}
