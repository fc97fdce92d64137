package io.raylane.deploy.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Goal 1: admission latency, {@code POST /v1/jobs} → the Ray head records the submission
 * ({@code start_time}), with capacity free, at a steady rate; split per hop at the
 * moments each hop's output became visible to a read_committed reader
 * ({@link TopicWatch}).
 */
final class AdmissionPhase {

	static final String SPEC = "name: bench-admission\nworkload: command\ncommand: 'true'\n";

	private AdmissionPhase() {
	}

	static void run(BenchClient client, TopicWatch watch, int jobs, double rate) throws Exception {
		List<BenchClient.Posted> posted = new ArrayList<>();
		long intervalNanos = (long) (1_000_000_000L / rate);
		long next = System.nanoTime();
		for (int i = 0; i < jobs; i++) {
			while (System.nanoTime() < next) {
				Thread.onSpinWait();
			}
			next += intervalNanos;
			posted.add(client.submit(SPEC));
		}
		Set<String> ids = posted.stream().map(BenchClient.Posted::jobId).collect(Collectors.toSet());
		// wait on the benchmark's own topic read, not by listing every job of the API
		// (see
		// ThroughputPhase), then read Ray's start_time once
		watch.awaitAll(Milestones.SUBMIT_RESULTS, ids, Duration.ofMinutes(5));
		Map<String, Long> rayAt = client.awaitInstants(ids, "started_at", Duration.ofMinutes(5));
		// the hops, in order; each sample is the time from the previous milestone. Since
		// the writers place the scheduler's inputs by pool (issue 17), a job crosses one
		// exactly-once scheduler hop; one that still took the by-pool repartition (a
		// record of another writer) is counted apart
		Map<String, List<Double>> hops = new LinkedHashMap<>();
		for (String hop : List.of("API produce (POST -> 202)", "scheduler (-> dispatch visible)",
				"submitter until Ray received", "Ray call returned")) {
			hops.put(hop, new ArrayList<>());
		}
		List<Double> total = new ArrayList<>();
		int complete = 0;
		int rerouted = 0;
		for (BenchClient.Posted job : posted) {
			long ray = rayAt.get(job.jobId());
			total.add((double) (ray - job.postedAtMs()));
			TopicWatch.Seen dispatch = watch.first(Milestones.DISPATCH, job.jobId());
			TopicWatch.Seen result = watch.first(Milestones.SUBMIT_RESULTS, job.jobId());
			if (dispatch == null || result == null) {
				continue;
			}
			complete++;
			if (watch.first(Milestones.BY_POOL, job.jobId()) != null) {
				rerouted++;
			}
			long[] at = { job.postedAtMs(), job.acceptedAtMs(), dispatch.visibleAtMs(), ray,
					result.recordTimestampMs() };
			int i = 1;
			for (List<Double> sample : hops.values()) {
				sample.add((double) (at[i] - at[i - 1]));
				i++;
			}
		}
		System.out.printf("%n[1] admission at %.1f jobs/s, %d jobs of 'true', 0 GPUs, capacity free%n", rate, jobs);
		System.out.println("  POST /v1/jobs -> Ray received        : " + Percentiles.of(total).format(" ms"));
		System.out.println("  per hop (" + complete + " jobs with every milestone seen, " + rerouted
				+ " of them through the scheduler's by-pool repartition):");
		hops.forEach((hop, sample) -> System.out.printf("    %-38s: %s%n", hop, Percentiles.of(sample).format(" ms")));
	}

}
