package io.raylane.deploy.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.raylane.topics.json.Json;
import tools.jackson.databind.JsonNode;

/**
 * The benchmark's user: submits JobSpecs through {@code POST /v1/jobs} and reads the jobs
 * back ({@code GET /v1/jobs}, paged), as alice with her dev token.
 */
final class BenchClient {

	/** One submission: when the POST left and when its 202 came back (ms). */
	record Posted(String jobId, long postedAtMs, long acceptedAtMs) {
	}

	private final HttpClient http = HttpClient.newHttpClient();

	private final String api;

	private final String token;

	BenchClient(String api, Path dataDir) throws Exception {
		this.api = api;
		this.token = token(dataDir);
	}

	Posted submit(String yaml) throws Exception {
		long posted = System.currentTimeMillis();
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(this.api + "/v1/jobs"))
			.header("Authorization", "Bearer " + this.token)
			.header("Content-Type", "application/yaml")
			.POST(HttpRequest.BodyPublishers.ofString(yaml))
			.build(), HttpResponse.BodyHandlers.ofString());
		long accepted = System.currentTimeMillis();
		if (response.statusCode() != 202) {
			throw new IllegalStateException("submit failed: " + response.statusCode() + " " + response.body());
		}
		return new Posted(Json.mapper().readTree(response.body()).get("job_id").asString(), posted, accepted);
	}

	/** Every job of the caller, following {@code next_page_token} (lists are paged). */
	List<JsonNode> allJobs() throws Exception {
		List<JsonNode> jobs = new ArrayList<>();
		String page = null;
		do {
			String query = "?limit=1000" + ((page != null) ? "&page_token=" + page : "");
			HttpResponse<String> response = this.http
				.send(HttpRequest.newBuilder(URI.create(this.api + "/v1/jobs" + query))
					.header("Authorization", "Bearer " + this.token)
					.build(), HttpResponse.BodyHandlers.ofString());
			JsonNode answer = Json.mapper().readTree(response.body());
			answer.get("jobs").forEach(jobs::add);
			page = answer.hasNonNull("next_page_token") ? answer.get("next_page_token").asString() : null;
		}
		while (page != null);
		return jobs;
	}

	/**
	 * Waits until every one of {@code ids} has the instant field {@code field} (e.g.
	 * {@code started_at}, Ray's {@code start_time}), then returns it per job (ms).
	 */
	Map<String, Long> awaitInstants(java.util.Set<String> ids, String field, Duration patience) throws Exception {
		long deadline = System.nanoTime() + patience.toNanos();
		while (true) {
			Map<String, Long> times = instants(ids, field, (job) -> true);
			if (times.size() == ids.size()) {
				return times;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(times.size() + " of " + ids.size() + " jobs have " + field);
			}
			Thread.sleep(500);
		}
	}

	/** The instant field {@code field} of those of {@code ids} that have it (ms). */
	Map<String, Long> instants(java.util.Set<String> ids, String field, Predicate<JsonNode> which) throws Exception {
		Map<String, Long> times = new HashMap<>();
		for (JsonNode job : allJobs()) {
			String id = job.get("job_id").asString();
			if (ids.contains(id) && job.hasNonNull(field) && which.test(job)) {
				times.put(id, Instant.parse(job.get(field).asString()).toEpochMilli());
			}
		}
		return times;
	}

	void awaitHealthy() throws Exception {
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while (System.nanoTime() < deadline) {
			HttpResponse<String> health = this.http.send(
					HttpRequest.newBuilder(URI.create(this.api + "/actuator/health")).build(),
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
