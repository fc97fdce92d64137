package io.raylane.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.raylane.topics.json.Json;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A user of the REST API, as the end-to-end tests drive it: plain HTTP with a bearer
 * token.
 */
final class RaylaneClient {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String baseUrl;

	private final String token;

	RaylaneClient(String baseUrl, String token) {
		this.baseUrl = baseUrl;
		this.token = token;
	}

	/**
	 * The dev users the local stack wrote to {@code <data dir>/dev-tokens.txt}: name →
	 * token.
	 */
	static Map<String, String> devTokens(Path dataDir) throws IOException {
		Map<String, String> tokens = new HashMap<>();
		for (String line : Files.readAllLines(dataDir.resolve("dev-tokens.txt"))) {
			String[] parts = line.trim().split("\\s+");
			if (parts.length == 2) {
				tokens.put(parts[0], parts[1]);
			}
		}
		return tokens;
	}

	RaylaneClient as(String otherToken) {
		return new RaylaneClient(this.baseUrl, otherToken);
	}

	HttpResponse<String> post(String path, String contentType, String body) {
		HttpRequest.Builder request = request(path).POST(HttpRequest.BodyPublishers.ofString(body));
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		return send(request);
	}

	/**
	 * Waits until the API answers its health check (no token needed), as a stack's
	 * start-up ends.
	 */
	void awaitHealthy() {
		RaylaneClient anonymous = as(null);
		await().atMost(Duration.ofSeconds(60)).until(() -> anonymous.get("/actuator/health").statusCode() == 200);
	}

	HttpResponse<String> get(String path) {
		return send(request(path).GET());
	}

	/** Submits a YAML JobSpec, asserts 202, returns the job id. */
	String submitYaml(String yaml) {
		HttpResponse<String> response = post("/v1/jobs", "application/yaml", yaml);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
		JsonNode answer = Json.mapper().readTree(response.body());
		assertThat(answer.get("status").asString()).isEqualTo("ACCEPTED");
		return answer.get("job_id").asString();
	}

	String submitCommand(String name, String command, int nnodes, int gpus) {
		return submitYaml("""
				name: %s
				workload: command
				command: %s
				resources: {nnodes: %d, n_gpus_per_node: %d}
				timeout: 10m
				""".formatted(name, Json.writeString(command), nnodes, gpus));
	}

	JsonNode job(String id) {
		HttpResponse<String> response = get("/v1/jobs/" + id);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return Json.mapper().readTree(response.body());
	}

	JsonNode awaitStatus(String id, Duration atMost, String... statuses) {
		return await().atMost(atMost)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> job(id), (job) -> List.of(statuses).contains(job.get("status").asString()));
	}

	private HttpRequest.Builder request(String path) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
			.timeout(Duration.ofSeconds(30));
		if (this.token != null) {
			builder.header("Authorization", "Bearer " + this.token);
		}
		return builder;
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
