package io.raylane.deploy.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.raylane.deploy.LocalStack;
import io.raylane.deploy.LocalStackSettings;
import io.raylane.topics.json.Json;
import tools.jackson.databind.JsonNode;

/**
 * Submit → Ray-submit latency of the walking skeleton, on the embedded broker and the
 * local Ray head: the time from a user's {@code POST /v1/jobs} to Ray's record of the
 * submission ({@code start_time}, set when Ray accepts {@code POST /api/jobs/}; it
 * reaches the JobView as {@code started_at}), over N jobs submitted at a steady rate.
 * Beside it, the broker's own produce → consume round trip, measured in the same run (see
 * {@link BrokerRoundTrip}). Not a unit test: the {@code bench} profile of {@code deploy}
 * runs it (docs/benchmarks.md).
 *
 * <pre>
 * ./mvnw -B -ntp -pl deploy -am -DskipTests -Pbench verify -Dbench.jobs=500 -Dbench.rate=25
 * </pre>
 *
 * The size comes from {@code bench.jobs} and {@code bench.rate} (system properties, as
 * the scheduler benchmark's), or from the first two arguments when run as a plain main
 * class.
 */
public final class SubmitLatencyBenchmark {

	private SubmitLatencyBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int jobs = Integer.parseInt((args.length > 0) ? args[0] : System.getProperty("bench.jobs", "500"));
		double rate = Double.parseDouble((args.length > 1) ? args[1] : System.getProperty("bench.rate", "25"));
		Path root = Files.createTempDirectory("raylane-bench");
		try (LocalStack stack = LocalStack.start(LocalStackSettings.forTest(root))) {
			HttpClient http = HttpClient.newHttpClient();
			String token = token(stack.settings().dataDir());
			awaitHealthy(http, stack.apiUrl());
			// warm-up: JIT, connections, the first transactions of every service
			submitAll(http, stack.apiUrl(), token, 20, rate);
			Map<String, Long> postedAt = submitAll(http, stack.apiUrl(), token, jobs, rate);
			Map<String, Long> rayAt = raySubmitTimes(http, stack.apiUrl(), token, postedAt);
			Map<String, Long> dispatchedAt = dispatchTimes(http, stack.apiUrl(), token, postedAt);
			List<Double> latencies = new ArrayList<>();
			List<Double> toScheduler = new ArrayList<>();
			List<Double> toRay = new ArrayList<>();
			for (Map.Entry<String, Long> posted : postedAt.entrySet()) {
				long ray = rayAt.get(posted.getKey());
				latencies.add((double) (ray - posted.getValue()));
				Long dispatched = dispatchedAt.get(posted.getKey());
				if (dispatched != null) {
					toScheduler.add((double) (dispatched - posted.getValue()));
					toRay.add((double) (ray - dispatched));
				}
			}
			List<Double> roundTrips = BrokerRoundTrip.measure(stack.bootstrapServers(), jobs, rate);
			System.out.println();
			System.out.println("Raylane submit latency benchmark: " + jobs + " jobs at " + rate + " jobs/s, "
					+ Runtime.getRuntime().availableProcessors() + " cores");
			System.out.println("  POST /v1/jobs -> Ray POST /api/jobs/ : " + Percentiles.of(latencies).format(" ms"));
			System.out
				.println("    of which POST -> scheduler dispatch  : " + Percentiles.of(toScheduler).format(" ms"));
			System.out.println("    of which dispatch -> Ray submit    : " + Percentiles.of(toRay).format(" ms"));
			System.out.println("  broker produce -> consume round trip : " + Percentiles.of(roundTrips).format(" ms"));
		}
	}

	private static Map<String, Long> submitAll(HttpClient http, String api, String token, int jobs, double rate)
			throws Exception {
		Map<String, Long> postedAt = new HashMap<>();
		long intervalNanos = (long) (1_000_000_000L / rate);
		long next = System.nanoTime();
		for (int i = 0; i < jobs; i++) {
			while (System.nanoTime() < next) {
				Thread.onSpinWait();
			}
			next += intervalNanos;
			long posted = System.currentTimeMillis();
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + "/v1/jobs"))
				.header("Authorization", "Bearer " + token)
				.header("Content-Type", "application/yaml")
				.POST(HttpRequest.BodyPublishers.ofString("name: bench\nworkload: command\ncommand: 'true'\n"))
				.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 202) {
				throw new IllegalStateException("submit failed: " + response.statusCode() + " " + response.body());
			}
			postedAt.put(Json.mapper().readTree(response.body()).get("job_id").asString(), posted);
		}
		return postedAt;
	}

	/**
	 * Every job of the caller, following {@code next_page_token} (issue 12: lists are
	 * paged).
	 */
	private static List<JsonNode> allJobs(HttpClient http, String api, String token) throws Exception {
		List<JsonNode> jobs = new ArrayList<>();
		String page = null;
		do {
			String query = "?limit=1000" + ((page != null) ? "&page_token=" + page : "");
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + "/v1/jobs" + query))
				.header("Authorization", "Bearer " + token)
				.build(), HttpResponse.BodyHandlers.ofString());
			JsonNode answer = Json.mapper().readTree(response.body());
			answer.get("jobs").forEach(jobs::add);
			page = answer.hasNonNull("next_page_token") ? answer.get("next_page_token").asString() : null;
		}
		while (page != null);
		return jobs;
	}

	/**
	 * The scheduler's dispatch time of each job ({@code dispatched_at} of its JobView).
	 */
	private static Map<String, Long> dispatchTimes(HttpClient http, String api, String token,
			Map<String, Long> postedAt) throws Exception {
		Map<String, Long> dispatched = new HashMap<>();
		for (JsonNode job : allJobs(http, api, token)) {
			String id = job.get("job_id").asString();
			if (postedAt.containsKey(id) && job.hasNonNull("dispatched_at")) {
				dispatched.put(id, java.time.Instant.parse(job.get("dispatched_at").asString()).toEpochMilli());
			}
		}
		return dispatched;
	}

	/**
	 * Waits until every job has Ray's submit time, then returns it per job. Ray's
	 * {@code start_time} reaches the JobView as {@code started_at}; Ray itself forgets
	 * the jobs once their logs are archived.
	 */
	private static Map<String, Long> raySubmitTimes(HttpClient http, String api, String token,
			Map<String, Long> postedAt) throws Exception {
		long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
		while (true) {
			Map<String, Long> times = new HashMap<>();
			for (JsonNode job : allJobs(http, api, token)) {
				String id = job.get("job_id").asString();
				if (postedAt.containsKey(id) && job.hasNonNull("started_at")) {
					times.put(id, java.time.Instant.parse(job.get("started_at").asString()).toEpochMilli());
				}
			}
			if (times.size() == postedAt.size()) {
				return times;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Ray started " + times.size() + " of " + postedAt.size() + " jobs");
			}
			Thread.sleep(500);
		}
	}

	private static void awaitHealthy(HttpClient http, String api) throws Exception {
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (System.nanoTime() < deadline) {
			HttpResponse<String> health = http.send(
					HttpRequest.newBuilder(URI.create(api + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
			if (health.statusCode() == 200) {
				return;
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException("the API never became healthy");
	}

	private static String token(Path dataDir) throws Exception {
		for (String line : Files.readAllLines(dataDir.resolve("dev-tokens.txt"))) {
			String[] parts = line.trim().split("\\s+");
			if (parts.length == 2 && parts[0].equals("alice")) {
				return parts[1];
			}
		}
		throw new IllegalStateException("no dev token for alice");
	}

}
