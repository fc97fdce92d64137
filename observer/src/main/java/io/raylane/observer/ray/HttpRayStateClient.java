package io.raylane.observer.ray;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.raylane.rayclient.RayHttp;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.rayclient.wire.RayJson;
import io.raylane.rayclient.wire.RayListResponse;
import io.raylane.rayclient.wire.RayNodeState;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * HTTP adapter of {@link RayStateClient}, as docs/reference/ray-http.md §2, §4 and §7
 * say: {@code GET /api/jobs/} (trailing slash; a JSON array of JobDetails) and
 * {@code GET /api/v0/nodes?limit=10000} (the State API envelope, snake_case). No retries:
 * the next poll is the retry.
 */
public final class HttpRayStateClient implements RayStateClient {

	/**
	 * The State API's maximum page ({@code RAY_MAX_LIMIT_FROM_API_SERVER}); Ray's default
	 * of 100 would truncate.
	 */
	static final int NODES_LIMIT = 10_000;

	private static final TypeReference<List<RayJobDetails>> JOBS = new TypeReference<>() {
	};

	private static final TypeReference<RayListResponse<RayNodeState>> NODES = new TypeReference<>() {
	};

	private final RestClient rest;

	/**
	 * @param rest a client with Ray's address as base URL (see
	 * {@link RayHttp#restClient})
	 */
	public HttpRayStateClient(RestClient rest) {
		this.rest = rest;
	}

	@Override
	public List<RayJobDetails> jobs() {
		List<RayJobDetails> jobs = read(get("/api/jobs/"), JOBS);
		if (jobs == null) {
			// only a real list may say "no jobs": a job it leaves out may be reported
			// lost
			throw new RayPollException("Ray's job list answer was not a list: null");
		}
		return jobs;
	}

	@Override
	public List<RayNodeState> nodes() {
		RayListResponse<RayNodeState> envelope = read(get("/api/v0/nodes?limit=" + NODES_LIMIT), NODES);
		if (envelope == null || !Boolean.TRUE.equals(envelope.result())) {
			throw new RayPollException(
					"Ray's State API refused the node list: " + ((envelope != null) ? envelope.msg() : "empty answer"));
		}
		return envelope.items();
	}

	@Override
	public java.util.Optional<String> logs(String submissionId) {
		String body;
		try {
			body = this.rest.get().uri("/api/jobs/{id}/logs", submissionId).exchange((req, res) -> {
				String text = new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8);
				if (res.getStatusCode().value() == 404) {
					return null;
				}
				if (res.getStatusCode().value() != 200) {
					throw new RayPollException(
							"GET logs of " + submissionId + " answered " + res.getStatusCode().value());
				}
				return text;
			});
		}
		catch (RestClientException ex) {
			throw new RayPollException("GET logs of " + submissionId + " failed: " + ex.getMessage(), ex);
		}
		if (body == null) {
			return java.util.Optional.empty();
		}
		try {
			tools.jackson.databind.JsonNode logs = RayJson.mapper().readTree(body).path("logs");
			return logs.isString() ? java.util.Optional.of(logs.stringValue()) : java.util.Optional.empty();
		}
		catch (JacksonException ex) {
			throw new RayPollException("unreadable logs answer from Ray: " + ex.getOriginalMessage(), ex);
		}
	}

	private String get(String path) {
		try {
			return this.rest.get().uri(path).exchange((req, res) -> {
				String body = new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8);
				if (res.getStatusCode().value() != 200) {
					throw new RayPollException(
							"GET " + path + " answered " + res.getStatusCode().value() + ": " + body.strip());
				}
				return body;
			});
		}
		catch (RestClientException ex) {
			throw new RayPollException("GET " + path + " failed: " + ex.getMessage(), ex);
		}
	}

	private static <T> T read(String body, TypeReference<T> type) {
		try {
			return RayJson.mapper().readValue(body, type);
		}
		catch (JacksonException ex) {
			throw new RayPollException("unreadable answer from Ray: " + ex.getOriginalMessage(), ex);
		}
	}

}
