package io.raylane.topics.ray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;

/**
 * Test-only stand-in for Ray's dashboard on 127.0.0.1:<random>, serving the routes and exact answer shapes of
 * ray-api.md: JobDetails with all 15 keys (nulls included), the State API nodes envelope, plain-text errors (500
 * duplicate submission, 404 "Job X does not exist", 400 tracebacks, 405 for browser User-Agents). Records every
 * request. Not Ray: no processes run; tests move jobs with {@link #finish}.
 */
public final class FakeRayHeadFixture implements AutoCloseable {

	static final Set<String> SUBMIT_KEYS = Set.of("entrypoint", "submission_id", "job_id", "runtime_env", "metadata",
			"entrypoint_num_cpus", "entrypoint_num_gpus", "entrypoint_memory", "entrypoint_resources");

	/** One request as received. */
	public record Request(String method, String path, String query, String userAgent, String body) {
	}

	private final HttpServer server;

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private final Map<String, RayJobDetails> jobs = new LinkedHashMap<>();

	private final Map<String, String> logs = new LinkedHashMap<>();

	private final List<RayNodeState> nodes = new ArrayList<>();

	private final Deque<int[]> failures = new ArrayDeque<>();

	public FakeRayHeadFixture() {
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	public String address() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	public List<Request> requests() {
		return List.copyOf(this.requests);
	}

	/** The next {@code times} requests (any route) get {@code status} with a plain-text body. */
	public synchronized void failNext(int times, int status) {
		for (int i = 0; i < times; i++) {
			this.failures.add(new int[] { status });
		}
	}

	public synchronized void clearFailures() {
		this.failures.clear();
	}

	public synchronized void putJob(RayJobDetails job) {
		this.jobs.put(job.submissionId() != null ? job.submissionId() : job.jobId(), job);
	}

	public synchronized List<RayJobDetails> jobs() {
		return List.copyOf(this.jobs.values());
	}

	public synchronized void putNode(RayNodeState node) {
		this.nodes.removeIf((n) -> n.nodeId().equals(node.nodeId()));
		this.nodes.add(node);
	}

	public synchronized void setLogs(String id, String text) {
		this.logs.put(id, text);
	}

	/** Moves a job to a status, as Ray would (end time and exit code on terminal ones). */
	public synchronized void finish(String id, String status, Integer exitCode, String message) {
		RayJobDetails j = this.jobs.get(id);
		this.jobs.put(id, new RayJobDetails(j.type(), "02000000", j.submissionId(),
				new RayDriverInfo("02000000", "10.0.0.11", "4242"), status, j.entrypoint(), message, j.errorType(),
				j.startTime(), isTerminal(status) ? j.startTime() + 1000 : null, j.metadata(), j.runtimeEnv(),
				"http://10.0.0.11:52365", "aa11", exitCode));
	}

	private static boolean isTerminal(String status) {
		return Set.of("STOPPED", "SUCCEEDED", "FAILED").contains(status);
	}

	private synchronized void handle(HttpExchange ex) throws IOException {
		String method = ex.getRequestMethod();
		String path = ex.getRequestURI().getPath();
		String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		String agent = ex.getRequestHeaders().getFirst("User-Agent");
		this.requests.add(new Request(method, path, ex.getRequestURI().getRawQuery(), agent, body));
		if (("POST".equals(method) || "PUT".equals(method)) && agent != null && agent.startsWith("Mozilla")) {
			text(ex, 405, "Method Not Allowed for browser traffic.");
			return;
		}
		if (!this.failures.isEmpty()) {
			text(ex, this.failures.poll()[0], "Traceback (most recent call last):\n  simulated failure\n");
			return;
		}
		String[] p = path.split("/", -1); // "", "api", "jobs", id, action
		if (path.equals("/api/jobs/") && method.equals("POST")) {
			submit(ex, body);
		}
		else if (path.equals("/api/jobs/") && method.equals("GET")) {
			json(ex, 200, List.copyOf(this.jobs.values()));
		}
		else if (path.equals("/api/v0/nodes") && method.equals("GET")) {
			json(ex, 200, nodesEnvelope());
		}
		else if (p.length >= 4 && p[1].equals("api") && p[2].equals("jobs") && !p[3].isEmpty()) {
			job(ex, method, p[3], (p.length > 4) ? p[4] : "");
		}
		else {
			text(ex, 404, "404: Not Found");
		}
	}

	private void submit(HttpExchange ex, String body) throws IOException {
		JsonNode request = RayJson.mapper().readTree(body);
		for (String key : request.propertyNames()) {
			if (!SUBMIT_KEYS.contains(key) && !request.get(key).isNull()) {
				text(ex, 400, "TypeError: __init__() got an unexpected keyword argument '" + key + "'");
				return;
			}
		}
		if (!request.path("entrypoint").isString()) {
			text(ex, 400, "TypeError: entrypoint must be a string, got " + request.path("entrypoint"));
			return;
		}
		for (JsonNode value : request.path("metadata")) {
			if (!value.isString()) {
				text(ex, 400, "TypeError: metadata must be a dict of str to str");
				return;
			}
		}
		String id = request.path("submission_id").asString();
		if (this.jobs.containsKey(id)) {
			text(ex, 500, "Traceback (most recent call last):\n  ...\nValueError: Job with submission_id " + id
					+ " already exists. Please use a different submission_id.\n");
			return;
		}
		@SuppressWarnings("unchecked")
		Map<String, String> metadata = RayJson.mapper().convertValue(request.path("metadata"), Map.class);
		@SuppressWarnings("unchecked")
		Map<String, Object> runtimeEnv = RayJson.mapper().convertValue(request.path("runtime_env"), Map.class);
		this.jobs.put(id, new RayJobDetails("SUBMISSION", null, id, null, "PENDING",
				request.get("entrypoint").asString(),
				"Job has not started yet. It may be waiting for resources (CPUs, GPUs, memory, custom resources) to become available.",
				null, System.currentTimeMillis(), null, metadata, runtimeEnv, null, null, null));
		json(ex, 200, Map.of("job_id", id, "submission_id", id));
	}

	private void job(HttpExchange ex, String method, String id, String action) throws IOException {
		RayJobDetails job = this.jobs.get(id);
		if (job == null) {
			text(ex, 404, "Job " + id + " does not exist");
		}
		else if (action.equals("stop") && method.equals("POST")) {
			boolean live = !isTerminal(job.status());
			if (live) {
				finish(id, "STOPPED", null, "Job was intentionally stopped.");
			}
			json(ex, 200, Map.of("stopped", live));
		}
		else if (action.equals("logs") && method.equals("GET")) {
			json(ex, 200, Map.of("logs", this.logs.getOrDefault(id, "")));
		}
		else if (action.isEmpty() && method.equals("GET")) {
			json(ex, 200, job);
		}
		else if (action.isEmpty() && method.equals("DELETE")) {
			if (!isTerminal(job.status())) {
				text(ex, 500, "Attempted to delete job " + id + " in non-terminal state " + job.status());
				return;
			}
			this.jobs.remove(id);
			json(ex, 200, Map.of("deleted", true));
		}
		else {
			text(ex, 405, "405: Method Not Allowed");
		}
	}

	private Map<String, Object> nodesEnvelope() {
		List<Map<String, Object>> items = new ArrayList<>();
		for (RayNodeState n : this.nodes) {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("node_id", n.nodeId());
			item.put("node_ip", n.nodeIp());
			item.put("is_head_node", n.isHeadNode());
			item.put("state", n.state());
			item.put("state_message", n.stateMessage());
			item.put("node_name", n.nodeName());
			item.put("resources_total", n.resourcesTotal());
			item.put("labels", n.labels());
			items.add(item);
		}
		Map<String, Object> list = new LinkedHashMap<>();
		list.put("total", items.size());
		list.put("num_after_truncation", items.size());
		list.put("num_filtered", items.size());
		list.put("result", items);
		list.put("partial_failure_warning", "");
		list.put("warnings", null);
		Map<String, Object> envelope = new LinkedHashMap<>();
		envelope.put("result", true);
		envelope.put("msg", "");
		envelope.put("data", Map.of("result", list));
		return envelope;
	}

	private static void json(HttpExchange ex, int status, Object body) throws IOException {
		ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
		send(ex, status, RayJson.mapper().writeValueAsBytes(body));
	}

	private static void text(HttpExchange ex, int status, String body) throws IOException {
		ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
		send(ex, status, body.getBytes(StandardCharsets.UTF_8));
	}

	private static void send(HttpExchange ex, int status, byte[] bytes) throws IOException {
		ex.sendResponseHeaders(status, (bytes.length == 0) ? -1 : bytes.length);
		ex.getResponseBody().write(bytes);
		ex.close();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
