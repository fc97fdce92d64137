package io.raylane.observer.gpu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Test-only stand-in for one Ray node's metrics endpoint
 * ({@code http://<ip>:<port>/metrics}) serving docs/reference/ray-http.md §9's GPU series
 * with values the test sets. Several fixtures share one port on different loopback
 * addresses (127.0.0.2, 127.0.0.3, …), as real nodes share {@code --metrics-export-port}.
 */
public final class NodeMetricsFixture implements AutoCloseable {

	private final HttpServer server;

	private final String ip;

	private final Map<Integer, double[]> gpus = new TreeMap<>();

	private volatile int status = 200;

	public NodeMetricsFixture(String ip, int port) {
		try {
			this.server = HttpServer.create(new InetSocketAddress(ip, port), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.ip = ip;
		this.server.createContext("/metrics", this::handle);
		this.server.start();
	}

	public int port() {
		return this.server.getAddress().getPort();
	}

	public String ip() {
		return this.ip;
	}

	/** GPU {@code index} now shows this utilization (percent) and memory in use (MiB). */
	public synchronized NodeMetricsFixture gpu(int index, double utilization, double memoryMib) {
		this.gpus.put(index, new double[] { utilization, memoryMib });
		return this;
	}

	/** Every GPU of the node at this utilization. */
	public synchronized NodeMetricsFixture allGpus(int count, double utilization) {
		for (int i = 0; i < count; i++) {
			gpu(i, utilization, 1024);
		}
		return this;
	}

	public void answer(int status) {
		this.status = status;
	}

	private synchronized void handle(HttpExchange ex) throws IOException {
		StringBuilder text = new StringBuilder();
		text.append(
				"# HELP ray_node_gpus_utilization The GPU utilization per GPU as a percentage quantity (0..NGPU*100)\n");
		text.append("# TYPE ray_node_gpus_utilization gauge\n");
		this.gpus.forEach((i, v) -> text.append(line("ray_node_gpus_utilization", i, v[0])));
		text.append("# HELP ray_node_gram_used The amount of GPU memory used per GPU, in bytes.\n");
		text.append("# TYPE ray_node_gram_used gauge\n");
		this.gpus.forEach((i, v) -> text.append(line("ray_node_gram_used", i, v[1])));
		text.append("ray_node_cpu_utilization{ip=\"").append(this.ip).append("\",SessionName=\"s\"} 12.5\n");
		byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
		ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
		ex.sendResponseHeaders(this.status, bytes.length);
		ex.getResponseBody().write(bytes);
		ex.close();
	}

	private String line(String name, int index, double value) {
		return name + "{ip=\"" + this.ip + "\",GpuIndex=\"" + index
				+ "\",GpuDeviceName=\"NVIDIA A100-SXM4-80GB\",SessionName=\"session_2026\"} " + value + "\n";
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
