package io.raylane.raystandin;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.raylane.rayclient.wire.RayJobSubmitResponse;
import io.raylane.rayclient.wire.RayJson;
import io.raylane.rayclient.wire.StateListRoute;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard HTTP server of the local head, on 127.0.0.1: the routes of Ray's Jobs
 * API, the State API's node, actor and placement-group lists ({@link StateListRoute}),
 * the version and GCS health endpoints, the Prometheus service-discovery list
 * (docs/reference/ray-http.md §2 and §7), Ray's guard against browser requests
 * ({@link BrowserRequests}), plus the internal join/leave routes of {@link NodeRoutes}
 * and the simulated-GPU route of {@link SimulatedGpuRoutes}. Jobs API errors are plain
 * text, as Ray's are. With a token ({@link TokenGuard}) every route but Ray's public ones
 * needs it.
 */
final class HeadHttpServer {

	private static final Logger log = LoggerFactory.getLogger(HeadHttpServer.class);

	private static final String JOBS = "/api/jobs/";

	private final HttpServer server;

	private final ExecutorService executor;

	private final JobManager jobs;

	private final NodeTable nodes;

	private final NodeRoutes nodeRoutes;

	private final SimulatedGpuRoutes gpuRoutes;

	private final Map<String, String> version;

	private final java.util.function.Supplier<Object> serviceDiscovery;

	private final TokenGuard tokens;

	private final RequestCounts requests = new RequestCounts();

	/** The bound, not yet serving, server socket. */
	record Binding(HttpServer server) {

		int port() {
			return this.server.getAddress().getPort();
		}

	}

	static Binding bind(int port) throws IOException {
		return new Binding(
				NoDelayHttpServers.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64));
	}

	HeadHttpServer(Binding binding, JobManager jobs, NodeTable nodes, NodeRoutes nodeRoutes,
			SimulatedGpuRoutes gpuRoutes, Map<String, String> version,
			java.util.function.Supplier<Object> serviceDiscovery, TokenGuard tokens) {
		this.serviceDiscovery = serviceDiscovery;
		this.server = binding.server();
		this.executor = Executors.newFixedThreadPool(8, (r) -> {
			Thread t = new Thread(r, "local-ray-http");
			t.setDaemon(true);
			return t;
		});
		this.jobs = jobs;
		this.nodes = nodes;
		this.nodeRoutes = nodeRoutes;
		this.gpuRoutes = gpuRoutes;
		this.version = version;
		this.tokens = tokens;
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::handle);
	}

	void start() {
		this.server.start();
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	void stop() {
		try {
			this.server.stop(0);
		}
		catch (IllegalStateException ex) {
			// never started (start-up failed before serving): nothing to stop
		}
		this.executor.shutdownNow();
	}

	/** Requests served so far, per route (for benchmarks). */
	Map<String, Long> requestCounts() {
		return this.requests.snapshot();
	}

	private void handle(HttpExchange exchange) throws IOException {
		this.requests.count(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
		try {
			route(exchange);
		}
		catch (HttpExchanges.TooLarge ex) {
			HttpExchanges.text(exchange, 413, ex.getMessage());
		}
		catch (RuntimeException ex) {
			log.warn("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), ex);
			HttpExchanges.text(exchange, 500, "Traceback (most recent call last):\n" + ex);
		}
		finally {
			exchange.close();
		}
	}

	private void route(HttpExchange exchange) throws IOException {
		// Ray checks the token before anything else, unknown routes included
		if (!this.tokens.admit(exchange)) {
			return;
		}
		String method = exchange.getRequestMethod();
		String path = exchange.getRequestURI().getRawPath();
		boolean browser = BrowserRequests.isBrowser(exchange.getRequestHeaders());
		// Ray's guard against drive-by browser requests (CSRF, DNS rebinding on an
		// unauthenticated API): browsers may only read
		if (browser && !BrowserRequests.READ_METHODS.contains(method)) {
			HttpExchanges.text(exchange, 405, "'" + method + "' method not allowed for browser traffic.");
			return;
		}
		switch (path) {
			case "/api/version" -> only(exchange, "GET", () -> HttpExchanges.json(exchange, 200, this.version));
			case "/api/gcs_healthz" -> only(exchange, "GET",
					() -> HttpExchanges.send(exchange, 200, "application/text; charset=utf-8", "success"));
			case "/api/authentication_mode" -> only(exchange, "GET",
					() -> HttpExchanges.json(exchange, 200, Map.of("authentication_mode", this.tokens.mode())));
			case "/api/v0/nodes" -> only(exchange, "GET", () -> listNodes(exchange));
			case "/api/v0/logs/file" -> only(exchange, "GET", () -> logTail(exchange));
			case "/api/v0/actors" -> only(exchange, "GET",
					() -> stateList(exchange, StateListRoute.actors(firstValues(exchange), supervisors())));
			case "/api/v0/placement_groups" ->
				only(exchange, "GET", () -> stateList(exchange, StateListRoute.placementGroups(firstValues(exchange))));
			case "/api/prometheus/sd" ->
				only(exchange, "GET", () -> HttpExchanges.json(exchange, 200, this.serviceDiscovery.get()));
			case JOBS -> {
				if ("GET".equals(method)) {
					HttpExchanges.json(exchange, 200,
							this.jobs.list().stream().map((job) -> details(job, browser)).toList());
				}
				else {
					only(exchange, "POST", () -> submit(exchange));
				}
			}
			default -> {
				if (path.startsWith(JOBS) && path.length() > JOBS.length()) {
					jobRoute(exchange, method, path.substring(JOBS.length()).split("/", -1));
				}
				else if (!this.nodeRoutes.handle(exchange, method, path)
						&& !this.gpuRoutes.handle(exchange, method, path)) {
					HttpExchanges.text(exchange, 404, "404: Not Found");
				}
			}
		}
	}

	private void jobRoute(HttpExchange exchange, String method, String[] parts) throws IOException {
		String id = HttpExchanges.decode(parts[0]);
		if (parts.length == 1) {
			if ("GET".equals(method)) {
				var job = this.jobs.get(id);
				if (job.isPresent()) {
					HttpExchanges.json(exchange, 200,
							details(job.get(), BrowserRequests.isBrowser(exchange.getRequestHeaders())));
				}
				else {
					notFound(exchange, id);
				}
			}
			else {
				only(exchange, "DELETE", () -> delete(exchange, id));
			}
		}
		else if (parts.length == 2 && "stop".equals(parts[1])) {
			only(exchange, "POST", () -> stop(exchange, id));
		}
		else if (parts.length == 2 && "logs".equals(parts[1])) {
			only(exchange, "GET", () -> logs(exchange, id));
		}
		else {
			HttpExchanges.text(exchange, 404, "404: Not Found");
		}
	}

	private void submit(HttpExchange exchange) throws IOException {
		SubmitRequests.Parsed parsed = SubmitRequests.parse(HttpExchanges.body(exchange));
		if (!parsed.valid()) {
			HttpExchanges.text(exchange, parsed.status(), parsed.error());
			return;
		}
		try {
			JobRecord job = this.jobs.submit(parsed.request());
			HttpExchanges.json(exchange, 200, new RayJobSubmitResponse(job.submissionId(), job.submissionId()));
		}
		catch (JobManager.DuplicateJobException ex) {
			// the agent answers 400, the head wraps it into a 500
			// (docs/reference/ray-http.md §10)
			HttpExchanges.text(exchange, 500,
					"Request failed with status code 400: Traceback (most recent call last):\n" + "ValueError: "
							+ ex.getMessage() + "\n");
		}
	}

	private void stop(HttpExchange exchange, String id) throws IOException {
		switch (this.jobs.stop(id)) {
			case NOT_FOUND -> notFound(exchange, id);
			case STOPPING -> HttpExchanges.json(exchange, 200, Map.of("stopped", true));
			case ALREADY_TERMINAL -> HttpExchanges.json(exchange, 200, Map.of("stopped", false));
		}
	}

	private void delete(HttpExchange exchange, String id) throws IOException {
		String status = this.jobs.get(id).map(JobRecord::status).orElse(null);
		switch (this.jobs.delete(id)) {
			case NOT_FOUND -> notFound(exchange, id);
			case NOT_TERMINAL -> HttpExchanges.text(exchange, 500,
					"Attempted to delete job '" + id + "', but it is in a non-terminal state " + status + ".");
			case DELETED -> HttpExchanges.json(exchange, 200, Map.of("deleted", true));
		}
	}

	private void listNodes(HttpExchange exchange) throws IOException {
		NodeQuery query;
		try {
			query = NodeQuery.parse(HttpExchanges.query(exchange.getRequestURI().getRawQuery()));
		}
		catch (IllegalArgumentException ex) {
			Map<String, Object> data = new java.util.HashMap<>();
			data.put("result", null);
			HttpExchanges.json(exchange, 400, Map.of("result", false, "msg", ex.getMessage(), "data", data));
			return;
		}
		@SuppressWarnings("unchecked")
		var body = query.apply(this.nodes.all().stream().map(LocalNode::toRay).toList(),
				(node) -> RayJson.mapper().convertValue(node, Map.class));
		HttpExchanges.json(exchange, 200, body);
	}

	/**
	 * The JobSupervisor actors of the running jobs, on their drivers' nodes, as
	 * {@link StateListRoute} lists them; the stand-in keeps no entrypoint label selector.
	 */
	private List<StateListRoute.Supervisor> supervisors() {
		return this.jobs.list()
			.stream()
			.filter(JobRecord::runningStatus)
			.map((job) -> new StateListRoute.Supervisor(job.submissionId(), job.driverNodeId(), job.driverPid(),
					(job.resources() != null) ? job.resources().asResources() : Map.of(), Map.of()))
			.toList();
	}

	private static void stateList(HttpExchange exchange, StateListRoute.Answer answer) throws IOException {
		HttpExchanges.json(exchange, answer.status(), answer.body());
	}

	private static Map<String, String> firstValues(HttpExchange exchange) {
		Map<String, String> query = new java.util.HashMap<>();
		HttpExchanges.query(exchange.getRequestURI().getRawQuery())
			.forEach((name, values) -> query.put(name, values.isEmpty() ? "" : values.get(0)));
		return query;
	}

	private void logs(HttpExchange exchange, String id) throws IOException {
		var logs = this.jobs.logs(id);
		if (logs.isPresent()) {
			HttpExchanges.json(exchange, 200, Map.of("logs", logs.get()));
		}
		else {
			notFound(exchange, id);
		}
	}

	/**
	 * Ray's State API log route ({@code GET /api/v0/logs/file}) for driver logs, answered
	 * by {@link io.raylane.rayclient.wire.LogFileRoute} as Ray 2.60 answers it
	 * (docs/reference/ray-http.md §6): a driver log lives on its driver's node, a dead
	 * node has no log agent.
	 */
	private void logTail(HttpExchange exchange) throws IOException {
		java.util.Map<String, String> query = new java.util.HashMap<>();
		HttpExchanges.query(exchange.getRequestURI().getRawQuery())
			.forEach((name, values) -> query.put(name, values.isEmpty() ? "" : values.get(0)));
		var answer = io.raylane.rayclient.wire.LogFileRoute.answer(query,
				new io.raylane.rayclient.wire.LogFileRoute.Cluster() {

					@Override
					public java.util.Optional<io.raylane.rayclient.wire.RayJobDetails> job(String submissionId) {
						return HeadHttpServer.this.jobs.get(submissionId).map(JobRecord::toDetails);
					}

					@Override
					public String log(String submissionId) {
						return HeadHttpServer.this.jobs.logs(submissionId).orElse("");
					}

					@Override
					public boolean hasNode(String nodeId) {
						return HeadHttpServer.this.nodes.get(nodeId).filter(LocalNode::alive).isPresent();
					}

					@Override
					public java.util.Optional<String> nodeIdAt(String ip) {
						return HeadHttpServer.this.nodes.aliveAt(ip).map(LocalNode::nodeId);
					}

				});
		HttpExchanges.send(exchange, answer.status(), answer.contentType(), answer.body());
	}

	/** A job as Ray serves it; env var values masked for browser-like callers. */
	private static Object details(JobRecord job, boolean browser) {
		var details = job.toDetails();
		return browser ? BrowserRequests.redacted(details) : details;
	}

	private static void notFound(HttpExchange exchange, String id) throws IOException {
		HttpExchanges.text(exchange, 404, "Job " + id + " does not exist");
	}

	private static void only(HttpExchange exchange, String allowed, IoAction action) throws IOException {
		if (allowed.equals(exchange.getRequestMethod())) {
			action.run();
		}
		else {
			HttpExchanges.text(exchange, 405, "405: Method Not Allowed");
		}
	}

	@FunctionalInterface
	interface IoAction {

		void run() throws IOException;

	}

}
