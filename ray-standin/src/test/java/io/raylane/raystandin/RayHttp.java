package io.raylane.raystandin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.rayclient.wire.RayJson;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A tiny client of the head's HTTP contract for tests: raw requests, JSON trees, and a
 * wait for job status.
 */
final class RayHttp {

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String address;

	RayHttp(String address) {
		this.address = address;
	}

	HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	HttpResponse<String> post(String path, String body) {
		return post(path, body, null);
	}

	HttpResponse<String> post(String path, String body, String userAgent) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
		if (userAgent != null) {
			request.header("User-Agent", userAgent);
		}
		return send(request);
	}

	HttpResponse<String> delete(String path, String userAgent) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).DELETE();
		if (userAgent != null) {
			request.header("User-Agent", userAgent);
		}
		return send(request);
	}

	/** Submits and asserts 200; returns the submission id. */
	String submit(Map<String, Object> body) {
		HttpResponse<String> response = post("/api/jobs/", RayJson.mapper().writeValueAsString(body));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode answer = json(response);
		assertThat(answer.get("job_id").asString()).isEqualTo(answer.get("submission_id").asString());
		return answer.get("submission_id").asString();
	}

	String submit(String entrypoint, Map<String, Double> resources) {
		return submit(resources.isEmpty() ? Map.of("entrypoint", entrypoint)
				: Map.of("entrypoint", entrypoint, "entrypoint_resources", resources));
	}

	RayJobDetails job(String id) {
		HttpResponse<String> response = get("/api/jobs/" + id);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return RayJson.mapper().readValue(response.body(), RayJobDetails.class);
	}

	RayJobDetails awaitStatus(String id, String... statuses) {
		return await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> job(id), (job) -> List.of(statuses).contains(job.status()));
	}

	String logs(String id) {
		HttpResponse<String> response = get("/api/jobs/" + id + "/logs");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json(response).get("logs").asString();
	}

	static JsonNode json(HttpResponse<String> response) {
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((t) -> assertThat(t).startsWith("application/json"));
		return RayJson.mapper().readTree(response.body());
	}

	/**
	 * The driver's pid and every descendant, captured while it runs (the head knows the
	 * pid; Ray's driver_info stays null for command entrypoints).
	 */
	static List<ProcessHandle> processTree(LocalRayHead head, String id) {
		long pid = head.driverPid(id).orElseThrow();
		Optional<ProcessHandle> driver = ProcessHandle.of(pid);
		assertThat(driver).isPresent();
		return java.util.stream.Stream.concat(driver.stream(), driver.get().descendants()).toList();
	}

	/**
	 * Still running: zombies (terminated, waiting for a parent that may never reap them)
	 * do not count.
	 */
	static boolean running(ProcessHandle process) {
		try {
			String stat = java.nio.file.Files
				.readString(java.nio.file.Path.of("/proc", Long.toString(process.pid()), "stat"));
			char state = stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
			return state != 'Z' && state != 'X';
		}
		catch (IOException ex) {
			return false;
		}
	}

	private URI uri(String path) {
		return URI.create(this.address + path);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.client.send(request.timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString());
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
