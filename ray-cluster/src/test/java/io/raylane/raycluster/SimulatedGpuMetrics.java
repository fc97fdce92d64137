package io.raylane.raycluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A test fixture: simulated GPU metrics served on every worker of a
 * {@link RealRayCluster} at {@code http://<worker ip>:<port>/metrics}, where the
 * observer's node scraper reads them when the stack's {@code raylane.ray.metrics-port} is
 * {@code port}. Ray 2.60 exports no {@code ray_node_gpus_*} gauges for logical GPUs
 * (ray-cluster/FINDINGS.md §24), so a real cluster without physical GPUs has nothing for
 * utilization, accounting and idle alerts to read; this serves, per worker, the two
 * gauges the observer reads with Ray's names and {@code GpuIndex} label
 * (docs/reference/ray-http.md §9), one series per logical GPU, with values the test sets
 * ({@link #set}).
 *
 * <p>
 * Each worker runs a small Python HTTP server (the cluster's venv) inside its own network
 * and PID namespace, bound to the worker's address: it dies with the node when the
 * cluster stops, so it leaves no process behind. The exposition is a file in the node's
 * directory, replaced atomically by {@link #set}, which the server reads on every
 * request.
 */
public final class SimulatedGpuMetrics {

	/** Serves one file as {@code /metrics}; argv: file, address, port. Logs nothing. */
	private static final String SERVER = """
			import http.server, sys
			path, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
			class Metrics(http.server.BaseHTTPRequestHandler):
			    def do_GET(self):
			        try:
			            with open(path, "rb") as f:
			                body = f.read()
			        except OSError:
			            self.send_error(503)
			            return
			        self.send_response(200)
			        self.send_header("Content-Type", "text/plain; version=0.0.4")
			        self.send_header("Content-Length", str(len(body)))
			        self.end_headers()
			        self.wfile.write(body)
			    def log_message(self, *args):
			        pass
			http.server.ThreadingHTTPServer((host, port), Metrics).serve_forever()
			""";

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

	private final RealRayCluster cluster;

	private final int port;

	private final Map<String, RealRayCluster.Worker> byIp = new HashMap<>();

	private SimulatedGpuMetrics(RealRayCluster cluster, int port) {
		this.cluster = cluster;
		this.port = port;
		cluster.workers().forEach((w) -> this.byIp.put(w.ip(), w));
	}

	/**
	 * Starts serving on every worker, each GPU at 0 % and 0 MiB, and returns once every
	 * worker answers.
	 * @param port the port on every worker's address (not one Ray uses)
	 */
	public static SimulatedGpuMetrics serve(RealRayCluster cluster, int port) {
		SimulatedGpuMetrics metrics = new SimulatedGpuMetrics(cluster, port);
		for (RealRayCluster.Worker worker : cluster.workers()) {
			metrics.set(worker.ip(), 0, 0);
			// setsid --fork: the server outlives this exec, as a child of the node's init
			RealRayCluster.ExecResult started = cluster.exec(worker.name(), "setsid", "--fork", "python3", "-c", SERVER,
					metrics.file(worker).toString(), worker.ip(), Integer.toString(port));
			if (started.exitCode() != 0) {
				throw new IllegalStateException("simulated GPU metrics did not start on " + worker.name() + ": "
						+ RealRayCluster.tail(started.output(), 10));
			}
		}
		cluster.workers().forEach(metrics::awaitServing);
		return metrics;
	}

	public int port() {
		return this.port;
	}

	/**
	 * Every GPU of the worker at {@code ip} reports this utilization (0–100 %) and GPU
	 * memory in use (MiB, as Ray reports {@code ray_node_gram_used}).
	 */
	public void set(String ip, double utilizationPercent, double memoryUsedMib) {
		RealRayCluster.Worker worker = this.byIp.get(ip);
		if (worker == null) {
			throw new IllegalArgumentException("no worker at " + ip + " (workers: " + this.byIp.keySet() + ")");
		}
		StringBuilder text = new StringBuilder();
		gauge(text, "ray_node_gpus_utilization", worker, utilizationPercent);
		gauge(text, "ray_node_gram_used", worker, memoryUsedMib);
		try {
			Path file = file(worker);
			Files.createDirectories(file.getParent());
			Path next = file.resolveSibling("metrics.next");
			Files.writeString(next, text, StandardCharsets.UTF_8);
			Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void gauge(StringBuilder text, String name, RealRayCluster.Worker worker, double value) {
		text.append("# TYPE ").append(name).append(" gauge\n");
		for (int gpu = 0; gpu < worker.gpus(); gpu++) {
			text.append(name)
				.append("{GpuDeviceName=\"Simulated GPU\",GpuIndex=\"")
				.append(gpu)
				.append("\",ip=\"")
				.append(worker.ip())
				.append("\"} ")
				.append(value)
				.append('\n');
		}
	}

	private Path file(RealRayCluster.Worker worker) {
		return this.cluster.dir().resolve("nodes").resolve(worker.name()).resolve("gpu-metrics").resolve("metrics");
	}

	private void awaitServing(RealRayCluster.Worker worker) {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		URI uri = URI.create("http://" + worker.ip() + ":" + this.port + "/metrics");
		long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
		String last = "no answer";
		while (System.nanoTime() < deadline) {
			try {
				HttpResponse<String> response = http.send(
						HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
						HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return;
				}
				last = "answered " + response.statusCode();
			}
			catch (IOException ex) {
				last = ex.toString();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		throw new IllegalStateException("simulated GPU metrics at " + uri + " did not answer: " + last);
	}

}
