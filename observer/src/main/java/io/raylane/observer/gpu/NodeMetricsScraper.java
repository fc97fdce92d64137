package io.raylane.observer.gpu;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.raylane.rayclient.RayHttp;
import io.raylane.support.metrics.PrometheusText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes the Ray nodes' Prometheus endpoints
 * {@code http://<node ip>:<raylane.ray.metrics-port>/metrics} concurrently (JDK
 * HttpClient, one request per node, {@code timeout} each) and keeps their GPUs
 * ({@link GpuReading}). A node that does not answer in time, answers non-200 or cannot be
 * reached counts one scrape error and is left out; it never fails the poll.
 */
public final class NodeMetricsScraper {

	private static final Logger log = LoggerFactory.getLogger(NodeMetricsScraper.class);

	private final HttpClient http;

	private final int port;

	private final Duration timeout;

	private final Runnable onError;

	/**
	 * @param port the metrics port of every node ({@code RAYLANE_RAY_METRICS_PORT})
	 * @param timeout per request
	 * @param onError called once per failed scrape (the scrape-errors counter)
	 */
	public NodeMetricsScraper(int port, Duration timeout, Runnable onError) {
		this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
		this.port = port;
		this.timeout = timeout;
		this.onError = onError;
	}

	/** The GPUs of every node that answered, by node IP. */
	public Map<String, List<GpuReading>> scrape(Collection<String> nodeIps) {
		Map<String, CompletableFuture<HttpResponse<String>>> pending = new HashMap<>();
		for (String ip : new LinkedHashSet<>(nodeIps)) {
			try {
				HttpRequest request = HttpRequest.newBuilder(URI.create(url(ip)))
					.timeout(this.timeout)
					.header("User-Agent", RayHttp.USER_AGENT)
					.GET()
					.build();
				pending.put(ip, this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
			}
			catch (IllegalArgumentException ex) {
				failed(ip, "bad address: " + ex.getMessage());
			}
		}
		Map<String, List<GpuReading>> readings = new HashMap<>();
		pending.forEach((ip, future) -> {
			try {
				// the request timeout bounds each future; the margin covers connect +
				// body
				HttpResponse<String> response = future.get(this.timeout.toMillis() * 2 + 500, TimeUnit.MILLISECONDS);
				if (response.statusCode() != 200) {
					failed(ip, "answered " + response.statusCode());
				}
				else {
					readings.put(ip, GpuReading.of(PrometheusText.parse(response.body())));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				future.cancel(true);
				failed(ip, "interrupted");
			}
			catch (ExecutionException | TimeoutException ex) {
				future.cancel(true);
				failed(ip, String.valueOf((ex.getCause() != null) ? ex.getCause() : ex));
			}
		});
		return readings;
	}

	String url(String ip) {
		String host = ip.contains(":") ? "[" + ip + "]" : ip;
		return "http://" + host + ":" + this.port + "/metrics";
	}

	private void failed(String ip, String why) {
		this.onError.run();
		log.debug("scraping {} failed: {}", url(ip), why);
	}

}
