package io.raylane.deploy.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Goal 2: start throughput. N one-GPU jobs of {@code true} are posted at once (several
 * clients in parallel, so the POSTs are not what limits), then Ray's {@code start_time}
 * of each tells how many jobs reached Ray in each second, first to last.
 */
final class ThroughputPhase {

	static final String SPEC = "name: bench-start\nworkload: command\ncommand: 'true'\n"
			+ "resources: {nnodes: 1, n_gpus_per_node: 1}\n";

	private ThroughputPhase() {
	}

	/**
	 * @return the ids of the jobs, to wait for their end
	 */
	static Set<String> run(BenchClient client, TopicWatch watch, int jobs, int clients) throws Exception {
		long begin = System.currentTimeMillis();
		List<BenchClient.Posted> posted = submitInParallel(client, SPEC, jobs, clients);
		long postedIn = System.currentTimeMillis() - begin;
		Set<String> ids = posted.stream().map(BenchClient.Posted::jobId).collect(Collectors.toSet());
		// wait on the benchmark's own read of raylane.submit-results (every job submitted
		// to
		// Ray), not by listing every job of the API twice a second: that listing,
		// thousands
		// of job views serialized and parsed on the two cores the services share, slowed
		// the very start rate it waited for. Ray's start_time is read once they are all
		// in
		watch.awaitAll(Milestones.SUBMIT_RESULTS, ids, Duration.ofMinutes(15));
		Map<String, Long> rayAt = client.awaitInstants(ids, "started_at", Duration.ofMinutes(5));
		List<Long> starts = new ArrayList<>(rayAt.values());
		Collections.sort(starts);
		long first = starts.get(0);
		long last = starts.get(starts.size() - 1);
		int seconds = (int) ((last - first) / 1000) + 1;
		int[] perSecond = new int[seconds];
		starts.forEach((at) -> perSecond[(int) ((at - first) / 1000)]++);
		// sustained: the whole seconds between the 5 % and the 95 % job (no ramp, no
		// tail)
		int from = (int) ((starts.get(starts.size() / 20) - first) / 1000);
		int to = (int) ((starts.get(starts.size() * 19 / 20) - first) / 1000);
		List<Double> steady = new ArrayList<>();
		for (int s = from; s <= to; s++) {
			steady.add((double) perSecond[s]);
		}
		System.out.printf(
				"%n[2] start throughput: %d one-GPU jobs of 'true', posted in %.1f s by %d clients (%.0f/s)%n", jobs,
				postedIn / 1000.0, clients, jobs * 1000.0 / Math.max(1, postedIn));
		System.out.printf("  first -> last Ray start: %.1f s, mean %.1f jobs/s%n", (last - first) / 1000.0,
				jobs * 1000.0 / Math.max(1, last - first));
		Percentiles rates = Percentiles.of(steady);
		System.out.printf(
				"  per second, seconds %d..%d (5 %%..95 %% of the jobs): min %.0f  p50 %.0f  mean %.1f jobs/s%n", from,
				to, steady.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN), rates.p50(),
				rates.mean());
		StringBuilder timeline = new StringBuilder("  jobs reaching Ray per second:");
		for (int s = 0; s < seconds; s++) {
			timeline.append((s % 20 == 0) ? String.format("%n    t=%3ds:", s) : "").append(' ').append(perSecond[s]);
		}
		System.out.println(timeline);
		return ids;
	}

	static List<BenchClient.Posted> submitInParallel(BenchClient client, String spec, int jobs, int clients)
			throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(clients);
		try {
			List<Future<BenchClient.Posted>> futures = new ArrayList<>();
			for (int i = 0; i < jobs; i++) {
				String yaml = spec.replace("{i}", Integer.toString(i));
				futures.add(pool.submit(() -> client.submit(yaml)));
			}
			List<BenchClient.Posted> posted = new ArrayList<>();
			for (Future<BenchClient.Posted> future : futures) {
				posted.add(future.get());
			}
			return posted;
		}
		finally {
			pool.shutdownNow();
		}
	}

	/**
	 * Where a start-throughput job's GPU went, from its terminal job view: the start rate
	 * is at most the GPUs over the time each job holds one, from its dispatch (the
	 * scheduler reserves the GPU) to its release (the terminal view).
	 */
	static void printLifecycle(TopicWatch watch, java.util.Collection<TopicWatch.Seen> terminal) {
		List<Double> toRay = new ArrayList<>();
		List<Double> onRay = new ArrayList<>();
		List<Double> seen = new ArrayList<>();
		List<Double> observed = new ArrayList<>();
		List<Double> committed = new ArrayList<>();
		List<Double> scheduled = new ArrayList<>();
		for (TopicWatch.Seen end : terminal) {
			tools.jackson.databind.JsonNode view = end.value();
			if (!view.hasNonNull("dispatched_at") || !view.hasNonNull("started_at") || !view.hasNonNull("ended_at")) {
				continue;
			}
			long dispatched = java.time.Instant.parse(view.get("dispatched_at").asString()).toEpochMilli();
			long started = java.time.Instant.parse(view.get("started_at").asString()).toEpochMilli();
			long ended = java.time.Instant.parse(view.get("ended_at").asString()).toEpochMilli();
			toRay.add((double) (started - dispatched));
			onRay.add((double) (ended - started));
			seen.add((double) (end.visibleAtMs() - ended));
			TopicWatch.Seen rayEnded = watch.first(Milestones.RAY_ENDED, view.get("job_id").asString());
			if (rayEnded != null) {
				// the observation's record timestamp is when the observer produced it,
				// its visibility when the observer's transaction committed
				observed.add((double) (rayEnded.recordTimestampMs() - ended));
				committed.add((double) (rayEnded.visibleAtMs() - rayEnded.recordTimestampMs()));
				scheduled.add((double) (end.visibleAtMs() - rayEnded.visibleAtMs()));
			}
		}
		System.out.println("  where each job held its GPU (" + onRay.size() + " jobs):");
		System.out.println("    dispatched -> Ray start_time (submitter) : " + Percentiles.of(toRay).format(" ms"));
		System.out.println("    Ray start_time -> end_time (on Ray)     : " + Percentiles.of(onRay).format(" ms"));
		System.out.println("    Ray end_time -> terminal view (released): " + Percentiles.of(seen).format(" ms"));
		System.out.println("      of which end_time -> observer produced : " + Percentiles.of(observed).format(" ms"));
		System.out.println("      observer produced -> committed        : " + Percentiles.of(committed).format(" ms"));
		System.out.println("      committed -> terminal view (scheduler): " + Percentiles.of(scheduled).format(" ms"));
	}

}
