package io.raylane.raycluster.contract;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.raylane.rayclient.RayHttp;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.rayclient.wire.RayJobSubmitRequest;
import io.raylane.rayclient.wire.RayJobSubmitResponse;
import io.raylane.rayclient.wire.RayJson;
import io.raylane.rayclient.wire.RayListResponse;
import io.raylane.rayclient.wire.RayNodeState;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Calls Ray's dashboard the way Raylane's services do: the {@link RestClient} of
 * {@link RayHttp} (its User-Agent, HTTP/1.1), request bodies written by
 * {@link RayJson#requestMapper()}, answers read into the wire records. Every answer is
 * returned whatever its status, so a case can check error statuses and texts.
 */
final class RayCalls {

	/** One answer: status, Content-Type and body text. */
	record Answer(int status, String contentType, String body) {

		/** The body as JSON; asserts Ray's JSON content type. */
		JsonNode json() {
			assertThat(this.contentType).as("Content-Type of " + this.body)
				.isEqualTo("application/json; charset=utf-8");
			return RayJson.mapper().readTree(this.body);
		}

		<T> T as(Class<T> type) {
			json();
			return RayJson.mapper().readValue(this.body, type);
		}

		/** Asserts a plain-text answer with this status and returns its text. */
		String text(int expectedStatus) {
			assertThat(this.status).as(this.body).isEqualTo(expectedStatus);
			assertThat(this.contentType).as("Content-Type of " + this.body).startsWith("text/plain");
			return this.body;
		}

	}

	private static final TypeReference<RayListResponse<RayNodeState>> NODES = new TypeReference<>() {
	};

	private static final TypeReference<List<RayJobDetails>> JOBS = new TypeReference<>() {
	};

	private final RestClient rest;

	private final Optional<String> token;

	RayCalls(String dashboardUrl, Optional<String> token) {
		this.rest = RayHttp.restClient(RestClient.builder(), dashboardUrl, Duration.ofSeconds(5),
				Duration.ofSeconds(30));
		this.token = token;
	}

	Answer get(String path, String... headers) {
		return call(HttpMethod.GET, path, null, headers);
	}

	Answer post(String path, String body, String... headers) {
		return call(HttpMethod.POST, path, body, headers);
	}

	Answer delete(String path, String... headers) {
		return call(HttpMethod.DELETE, path, null, headers);
	}

	Answer call(HttpMethod method, String path, String body, String... headers) {
		RestClient.RequestBodySpec request = this.rest.method(method).uri(path).headers((h) -> {
			this.token.ifPresent((t) -> h.setBearerAuth(t));
			for (int i = 0; i + 1 < headers.length; i += 2) {
				h.set(headers[i], headers[i + 1]);
			}
		});
		if (body != null) {
			request.contentType(MediaType.APPLICATION_JSON).body(body);
		}
		return request.exchange((req, res) -> new Answer(res.getStatusCode().value(),
				res.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE),
				new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8)));
	}

	/** Submits as the submitter does; returns the answer. */
	Answer submit(RayJobSubmitRequest request) {
		return post("/api/jobs/", RayJson.requestMapper().writeValueAsString(request));
	}

	/** Submits and asserts Ray accepted it with both ids equal to the submission id. */
	void submitted(RayJobSubmitRequest request) {
		Answer answer = submit(request);
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		assertThat(answer.as(RayJobSubmitResponse.class))
			.isEqualTo(new RayJobSubmitResponse(request.submissionId(), request.submissionId()));
	}

	RayJobDetails job(String id) {
		Answer answer = get("/api/jobs/" + id);
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		return answer.as(RayJobDetails.class);
	}

	List<RayJobDetails> jobs() {
		Answer answer = get("/api/jobs/");
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		answer.json();
		return RayJson.mapper().readValue(answer.body(), JOBS);
	}

	RayJobDetails awaitStatus(String id, Duration patience, String... statuses) {
		return await().atMost(patience)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> job(id), (job) -> List.of(statuses).contains(job.status()));
	}

	String logs(String id) {
		Answer answer = get("/api/jobs/" + id + "/logs");
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		return answer.json().get("logs").asString();
	}

	/** What the observer asks: {@code GET /api/v0/nodes?limit=10000}. */
	RayListResponse<RayNodeState> nodeList(boolean detail) {
		Answer answer = get("/api/v0/nodes?limit=10000" + (detail ? "&detail=1" : ""));
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		answer.json();
		return RayJson.mapper().readValue(answer.body(), NODES);
	}

	/**
	 * The items of a State API list ({@code /api/v0/actors}, {@code /placement_groups})
	 * as JSON; asserts a 200 envelope with Ray's keys.
	 */
	List<JsonNode> stateList(String path) {
		Answer answer = get(path);
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		JsonNode envelope = answer.json();
		assertThat(envelope.get("result").asBoolean()).as(answer.body()).isTrue();
		assertThat(envelope.get("msg").asString()).isEmpty();
		JsonNode list = envelope.path("data").path("result");
		assertThat(list.propertyNames()).containsExactly("total", "num_after_truncation", "num_filtered", "result",
				"partial_failure_warning", "warnings");
		List<JsonNode> items = new java.util.ArrayList<>();
		list.get("result").forEach(items::add);
		assertThat(list.get("num_after_truncation").asInt()).isEqualTo(items.size());
		return items;
	}

	List<RayNodeState> nodes() {
		return nodeList(true).items();
	}

	/** As the submitter stops a job: a POST without a body; asserts 200. */
	@SuppressWarnings("unchecked")
	Map<String, Object> stop(String id) {
		Answer answer = post("/api/jobs/" + id + "/stop", null);
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		return RayJson.mapper().convertValue(answer.json(), Map.class);
	}

}
