package io.raylane.observer.ray;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.raylane.rayclient.RayHttp;
import io.raylane.rayclient.wire.LogFileRoute;
import io.raylane.rayclient.wire.LogTails;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.rayclient.wire.RayJson;
import io.raylane.rayclient.wire.RayListResponse;
import io.raylane.rayclient.wire.RayNodeState;
import io.raylane.rayclient.wire.RayActorState;
import io.raylane.rayclient.wire.RayPlacementGroupState;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

	private static final TypeReference<RayListResponse<RayPlacementGroupState>> GROUPS = new TypeReference<>() {
	};

	private static final TypeReference<RayListResponse<RayActorState>> ACTORS = new TypeReference<>() {
	};

	private static final Logger log = LoggerFactory.getLogger(HttpRayStateClient.class);

	private final RestClient rest;

	/**
	 * Whether Ray's log tail route may answer; false once it showed it cannot (then stays
	 * so until the observer restarts).
	 */
	private volatile boolean tailRoute = true;

	/** The State API lists this head answered 404 for (logged once each). */
	private final java.util.Set<String> missingRoutes = java.util.concurrent.ConcurrentHashMap.newKeySet();

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

	/**
	 * Placement groups with {@code detail=true} (without it Ray 2.60 leaves out the
	 * bundles), at the State API's maximum page.
	 */
	@Override
	public List<RayPlacementGroupState> placementGroups() {
		return list("/api/v0/placement_groups?detail=true&limit=" + NODES_LIMIT, GROUPS, "placement group");
	}

	/**
	 * Actors with {@code detail=true} (without it Ray 2.60 leaves out
	 * {@code required_resources} and {@code placement_group_id}).
	 */
	@Override
	public List<RayActorState> actors() {
		return list("/api/v0/actors?detail=true&limit=" + NODES_LIMIT, ACTORS, "actor");
	}

	/**
	 * A head without the route (404: Raylane's imitation of Ray, ray-standin, serves no
	 * placement groups or actors) has none of them: said once, then an empty list.
	 */
	private <T> List<T> list(String path, TypeReference<RayListResponse<T>> type, String what) {
		String body;
		try {
			body = this.rest.get().uri(path).exchange((req, res) -> {
				String text = new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8);
				if (res.getStatusCode().value() == 404) {
					return null;
				}
				if (res.getStatusCode().value() != 200) {
					throw new RayPollException(
							"GET " + path + " answered " + res.getStatusCode().value() + ": " + text.strip());
				}
				return text;
			});
		}
		catch (RestClientException ex) {
			throw new RayPollException("GET " + path + " failed: " + ex.getMessage(), ex);
		}
		if (body == null) {
			if (this.missingRoutes.add(what)) {
				log.info("this Ray head has no {} list (404 for {}): it holds none as far as Raylane can tell", what,
						path);
			}
			return List.of();
		}
		RayListResponse<T> envelope = read(body, type);
		if (envelope == null || !Boolean.TRUE.equals(envelope.result())) {
			throw new RayPollException("Ray's State API refused the " + what + " list: "
					+ ((envelope != null) ? envelope.msg() : "empty answer"));
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

	/**
	 * Ray's State API log route (docs/reference/ray-http.md §6): the head has the log
	 * agent of the driver's node read only the last {@code lines} lines of
	 * {@code job-driver-<id>.log}; the answer is plain text. Ray 2.60 wants the node as
	 * well as the file ({@code GetLogOptions}: a {@code submission_id} alone is refused
	 * with aiohttp's bare 500 page), and naming the file spares the head a read of every
	 * job to resolve a submission id. A head that answers 404 (no State API) or that bare
	 * 500 page (parameters it does not take) has no usable route: the client remembers it
	 * and reads the whole log ({@code GET /api/jobs/{id}/logs}), cut to the same tail,
	 * from then on, one request per reading.
	 */
	@Override
	public java.util.Optional<String> logTail(String submissionId, String driverNodeId, int lines, int maxChars) {
		if (driverNodeId == null) {
			// no driver yet: Ray has no log (its whole-log route answers "")
			return java.util.Optional.empty();
		}
		if (!this.tailRoute) {
			return wholeLogTail(submissionId, lines, maxChars);
		}
		Tail tail;
		try {
			tail = this.rest.get()
				.uri("/api/v0/logs/file?node_id={node}&filename={file}&lines={lines}&filter_ansi_code=true",
						driverNodeId, LogFileRoute.driverLogFile(submissionId), lines)
				.exchange((req, res) -> new Tail(res.getStatusCode().value(),
						LogTails.last(lastChars(res.getBody(), maxChars), lines, maxChars)));
		}
		catch (RestClientException ex) {
			throw new RayPollException("GET the log tail of " + submissionId + " failed: " + ex.getMessage(), ex);
		}
		return switch (LogTailReply.of(tail.status(), tail.text())) {
			// Ray 2.60 answers a file its node lacks with 500 or, about half the time, an
			// empty 200
			case TAIL -> java.util.Optional.of(tail.text()).filter((text) -> !text.isEmpty());
			case NO_FILE -> java.util.Optional.empty();
			case NO_ROUTE -> {
				log.warn(
						"Ray's log tail route is unusable here (answered {}: {}); reading whole driver logs from now on",
						tail.status(), tail.text().strip());
				this.tailRoute = false;
				yield wholeLogTail(submissionId, lines, maxChars);
			}
			case FAILED -> throw new RayPollException(
					"GET the log tail of " + submissionId + " answered " + tail.status() + ": " + tail.text().strip());
		};
	}

	private java.util.Optional<String> wholeLogTail(String submissionId, int lines, int maxChars) {
		return logs(submissionId).filter((text) -> !text.isEmpty()).map((text) -> LogTails.last(text, lines, maxChars));
	}

	private record Tail(int status, String text) {
	}

	/**
	 * The end of a stream, never holding much more than {@code maxChars} bytes of it (a
	 * UTF-8 character cut at the start becomes U+FFFD; LogTails then cuts at a line).
	 */
	static String lastChars(java.io.InputStream in, int maxChars) throws java.io.IOException {
		byte[] window = new byte[Math.max(1, maxChars) * 2];
		int size = 0;
		int n;
		byte[] buffer = new byte[8192];
		while ((n = in.read(buffer)) >= 0) {
			if (size + n > window.length) {
				int keep = Math.max(0, Math.min(size, maxChars - n));
				System.arraycopy(window, size - keep, window, 0, keep);
				size = keep;
				if (n > window.length) {
					System.arraycopy(buffer, n - window.length, window, 0, window.length);
					size = window.length;
					continue;
				}
			}
			System.arraycopy(buffer, 0, window, size, n);
			size += n;
		}
		String text = new String(window, 0, size, StandardCharsets.UTF_8);
		return (text.length() > maxChars) ? text.substring(text.length() - maxChars) : text;
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
