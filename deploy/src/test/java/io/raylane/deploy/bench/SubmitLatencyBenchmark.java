package io.raylane.deploy.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.raylane.deploy.LocalStack;
import io.raylane.deploy.LocalStackSettings;
import io.raylane.topics.Topics;

/**
 * The end-to-end benchmark of issue 17, goals 1–3, in one run of the whole platform
 * in-process (embedded KRaft broker, every service, the local Ray-compatible head with
 * simulated workers):
 * <ol>
 * <li>admission latency, {@code POST /v1/jobs} → Ray received the submission, capacity
 * free, at each rate of {@code bench.rates}, per hop ({@link AdmissionPhase}), beside the
 * broker's own produce → consume round trip ({@link BrokerRoundTrip});</li>
 * <li>start throughput of {@code bench.startJobs} one-GPU jobs, per second
 * ({@link ThroughputPhase});</li>
 * <li>completion seen at {@code bench.running} running jobs, and the Ray head's requests
 * per second meanwhile ({@link CompletionPhase}).</li>
 * </ol>
 * Not a unit test: the {@code bench} profile of {@code deploy} runs it (options and
 * results in docs/benchmarks.md).
 *
 * <pre>
 * ./mvnw -B -ntp -pl deploy -DskipTests -Pbench verify -Dbench.jobs=500 -Dbench.rates=10,25
 * </pre>
 */
public final class SubmitLatencyBenchmark {

	private SubmitLatencyBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int jobs = Integer.getInteger("bench.jobs", 500);
		List<Double> rates = Arrays.stream(System.getProperty("bench.rates", "10,25").split(","))
			.map(String::trim)
			.filter((r) -> !r.isEmpty())
			.map(Double::parseDouble)
			.toList();
		int nodes = Integer.getInteger("bench.nodes", 100);
		int gpusPerNode = Integer.getInteger("bench.gpusPerNode", 4);
		int rayCap = Integer.getInteger("bench.rayCap", 1000);
		// admission of a long-running service is measured after its JIT has compiled the
		// path: -Dbench.warmup=1000 -Dbench.warmupRate=25 (the default only opens the
		// connections and the first transactions)
		int warmup = Integer.getInteger("bench.warmup", 20);
		double warmupRate = Double.parseDouble(System.getProperty("bench.warmupRate", "10"));
		int startJobs = Integer.getInteger("bench.startJobs", 2000);
		// phase 2 once more per round: the first round also pays for the JIT compiling
		// the paths phase 1 did not run (the queue, the archive, the stand-in's launches)
		int startRounds = Integer.getInteger("bench.startRounds", 1);
		int clients = Integer.getInteger("bench.clients", 8);
		int running = Integer.getInteger("bench.running", 400);
		double sleepBase = Double.parseDouble(System.getProperty("bench.sleepBase", "20"));
		double sleepSpread = Double.parseDouble(System.getProperty("bench.sleepSpread", "10"));
		Path root = Files.createTempDirectory("raylane-bench");
		LocalStackSettings base = LocalStackSettings.forTest(root);
		LocalStackSettings settings = new LocalStackSettings(base.apiPort(), base.kafkaPort(), base.kafkaBootstrap(),
				base.rayAddress(), base.localRayPort(), nodes, gpusPerNode, base.sharedRoot(), base.dataDir(),
				base.usersFile(), base.servicePorts(), base.servicesAddress(), base.rayMetricsPort(),
				base.rayAuthToken(), base.localRay(), base.jobUser(), base.apiAddress());
		// the Ray-head cap raised (goal 2), and no per-user cap below it: one user
		// submits everything
		// -Dbench.promptCommit=false: the scheduler commits only at its interval (A/B)
		Map<String, Object> properties = Map.of("raylane.scheduler.max-active-ray-jobs", rayCap,
				"raylane.scheduler.default-max-ray-jobs", rayCap, "raylane.jobs.max-active-per-user", 100_000,
				"raylane.scheduler.prompt-commit",
				Boolean.parseBoolean(System.getProperty("bench.promptCommit", "true")));
		System.out.printf("Raylane end-to-end benchmark: %d cores, %d simulated nodes x %d GPUs, Ray-head cap %d%n",
				Runtime.getRuntime().availableProcessors(), nodes, gpusPerNode, rayCap);
		try (LocalStack stack = LocalStack.start(settings, properties);
				TopicWatch watch = new TopicWatch(stack.bootstrapServers(), Milestones.topics())) {
			BenchClient client = new BenchClient(stack.apiUrl(), stack.settings().dataDir());
			client.awaitHealthy();
			// warm-up: JIT, connections, the first transactions of every service
			AdmissionPhase.run(client, watch, warmup, warmupRate);
			System.out.printf("  (warm-up: %d jobs at %.1f/s, not counted)%n", warmup, warmupRate);
			List<String> rows = new ArrayList<>();
			for (double rate : rates) {
				AdmissionPhase.run(client, watch, jobs, rate);
				rows.add(String.format("  broker produce -> consume at %.1f/s : %s", rate,
						Percentiles.of(BrokerRoundTrip.measure(stack.bootstrapServers(), Math.min(jobs, 200), rate))
							.format(" ms")));
			}
			rows.forEach(System.out::println);
			for (int round = 1; startJobs > 0 && round <= startRounds; round++) {
				if (startRounds > 1) {
					System.out.printf("%n[2] round %d of %d%n", round, startRounds);
				}
				List<String> counted = List.of(Milestones.BY_POOL, Topics.JOB_COMMANDS.name(),
						Topics.NODE_EVENTS.name(), Topics.RAY_OBSERVATIONS.name(), Topics.SUBMIT_RESULTS.name(),
						Topics.DISPATCH.name(), Topics.JOB_STATES.name(), "raylane-scheduler-jobs-changelog");
				Map<String, Long> before = TopicCounts.endOffsets(stack.bootstrapServers(), counted);
				CpuShare cpuBefore = CpuShare.now();
				Set<String> started = ThroughputPhase.run(client, watch, startJobs, clients);
				// every GPU free again before the next phase
				ThroughputPhase.printLifecycle(watch,
						CompletionPhase.awaitTerminal(watch, started, java.time.Duration.ofMinutes(10)).values());
				CpuShare.now().printSince(cpuBefore, 15);
				TopicCounts.print(before, TopicCounts.endOffsets(stack.bootstrapServers(), counted), startJobs);
			}
			if (running > 0) {
				CompletionPhase.run(client, watch, stack.localHead(), running, sleepBase, sleepSpread);
			}
		}
	}

}
