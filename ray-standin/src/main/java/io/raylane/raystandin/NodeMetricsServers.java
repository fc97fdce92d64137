package io.raylane.raystandin;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.raylane.rayclient.wire.RayJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics endpoints of the head and the simulated worker nodes: each serves Ray's
 * node metrics ({@link RayNodeMetrics}) at
 * {@code http://<node ip>:<metrics port>/metrics} (the same port on every node, like
 * {@code ray start
 * --metrics-export-port}), and stops when the node leaves. Like Ray's head, it keeps a
 * Prometheus file-SD list of the serving nodes (the head included) in
 * {@code <state dir>/prom_metrics_service_discovery.json}. Thread-safe.
 */
final class NodeMetricsServers implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(NodeMetricsServers.class);

	static final String SERVICE_DISCOVERY_FILE = "prom_metrics_service_discovery.json";

	private static final int FREE_PORT_ATTEMPTS = 50;

	private final int port;

	private final SimulatedGpus gpus;

	private final Map<String, String> version;

	private final Path serviceDiscovery;

	private final String headIp;

	private final NodeResources resources;

	private final Map<String, HttpServer> servers = new LinkedHashMap<>();

	private final ExecutorService executor = Executors.newFixedThreadPool(2, (r) -> {
		Thread t = new Thread(r, "local-ray-metrics");
		t.setDaemon(true);
		return t;
	});

	/**
	 * @param port the metrics port of every node; 0 picks one that is free on each of
	 * {@code workerIps}
	 * @param version the head's {@code /api/version} answer ({@code ray_version},
	 * {@code session_name} become labels)
	 */
	NodeMetricsServers(int port, String headIp, List<String> workerIps, SimulatedGpus gpus, Map<String, String> version,
			Path stateDir, NodeResources resources) throws IOException {
		List<String> all = new ArrayList<>(workerIps);
		all.add(headIp);
		this.port = (port == 0) ? freePortOnEvery(all) : port;
		this.headIp = headIp;
		this.gpus = gpus;
		this.version = Map.copyOf(version);
		this.serviceDiscovery = stateDir.resolve(SERVICE_DISCOVERY_FILE);
		this.resources = resources;
	}

	/** The logical resources of the ALIVE node at an IP: in all, and held by drivers. */
	interface NodeResources {

		Map<String, Double> total(String ip);

		Map<String, Double> used(String ip);

	}

	/** The head serves its metrics too (no GPUs), as Ray's head does. */
	synchronized void headStarted() {
		serveAt(this.headIp);
		writeServiceDiscovery();
	}

	/**
	 * The Prometheus file-SD list, as written to the file and served at
	 * /api/prometheus/sd.
	 */
	synchronized List<Map<String, Object>> serviceDiscovery() {
		List<String> targets = new ArrayList<>();
		this.servers.keySet().forEach((ip) -> targets.add(ip + ":" + this.port));
		return List.of(Map.of("labels", Map.of("job", "ray"), "targets", targets));
	}

	Path serviceDiscoveryFile() {
		return this.serviceDiscovery;
	}

	int port() {
		return this.port;
	}

	/**
	 * The node at {@code ip} joined with {@code gpuCount} GPUs: it starts idle and serves
	 * its metrics.
	 */
	synchronized void joined(String ip, int gpuCount) {
		this.gpus.added(ip, gpuCount);
		serveAt(ip);
		writeServiceDiscovery();
	}

	private void serveAt(String ip) {
		try {
			HttpServer server = NoDelayHttpServers.create(new InetSocketAddress(InetAddress.getByName(ip), this.port),
					16);
			server.setExecutor(this.executor);
			server.createContext("/metrics", (exchange) -> serve(exchange, ip));
			server.start();
			this.servers.put(ip, server);
		}
		catch (IOException ex) {
			// the node still runs jobs; only its metrics are missing (as when Ray's agent
			// fails to bind)
			log.warn("node {} cannot serve metrics on port {}: {}", ip, this.port, ex.toString());
		}
	}

	/** The node at {@code ip} left: its endpoint stops. */
	synchronized void left(String ip) {
		this.gpus.removed(ip);
		HttpServer server = this.servers.remove(ip);
		if (server != null) {
			server.stop(0);
		}
		writeServiceDiscovery();
	}

	@Override
	public synchronized void close() {
		this.servers.values().forEach((server) -> server.stop(0));
		this.servers.clear();
		this.executor.shutdownNow();
	}

	private void serve(HttpExchange exchange, String ip) throws IOException {
		try (exchange) {
			if (!"GET".equals(exchange.getRequestMethod())) {
				exchange.sendResponseHeaders(405, -1);
				return;
			}
			RayNodeMetrics.Node node = new RayNodeMetrics.Node(ip, ip.equals(this.headIp), this.gpus.of(ip),
					this.resources.total(ip), this.resources.used(ip));
			byte[] body = RayNodeMetrics.render(node, this.version.get("ray_version"), this.version.get("session_name"))
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
	}

	/**
	 * Ray's file-SD format: {@code [{"labels": {"job": "ray"}, "targets": ["ip:port",
	 * ...]}]}.
	 */
	private void writeServiceDiscovery() {
		try {
			Path tmp = this.serviceDiscovery.resolveSibling(SERVICE_DISCOVERY_FILE + ".tmp");
			Files.write(tmp, RayJson.mapper().writeValueAsBytes(serviceDiscovery()));
			// Prometheus re-reads the file on change: it must never see half of it
			Files.move(tmp, this.serviceDiscovery, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			log.warn("cannot write {}: {}", this.serviceDiscovery, ex.toString());
		}
	}

	/**
	 * A port that is free on every one of the IPs now (a node joining later may still
	 * find it taken).
	 */
	static int freePortOnEvery(List<String> ips) throws IOException {
		List<String> all = ips.isEmpty() ? List.of(LocalRayHead.workerIp(0)) : ips;
		for (int attempt = 0; attempt < FREE_PORT_ATTEMPTS; attempt++) {
			int candidate;
			try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getByName(all.get(0)))) {
				candidate = first.getLocalPort();
			}
			if (freeOnAll(candidate, all)) {
				return candidate;
			}
		}
		throw new IOException("no port was free on all of " + all + " after " + FREE_PORT_ATTEMPTS + " attempts");
	}

	private static boolean freeOnAll(int port, List<String> ips) {
		for (String ip : ips) {
			try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(ip))) {
				probe.setReuseAddress(true);
			}
			catch (IOException ex) {
				return false;
			}
		}
		return true;
	}

}
