package io.raylane.deploy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.raylane.deploy.metrics.DeployQueries;
import io.raylane.deploy.metrics.PromQlNames;
import io.raylane.support.metrics.PrometheusText;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every metric name that a Grafana panel or an alert rule of deploy/ queries is really
 * exported: the all-in-one stack runs a GPU job to its end and another one until it is
 * RUNNING (and idle), a garbage command is dead-lettered, and then every service's
 * /actuator/prometheus (the API's with a dev token) and a Ray node's metrics endpoint are
 * scraped. {@code up} is Prometheus' own.
 */
@Tag("slow")
class DashboardMetricsTest {

	/** Names Prometheus itself adds to every scrape. */
	static final Set<String> PROMETHEUS_OWN = Set.of("up");

	@TempDir
	static Path root;

	@AutoClose
	static LocalStack stack;

	static RaylaneClient alice;

	static String apiToken;

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeAll
	static void startStack() throws Exception {
		// short accounting interval and idle window, so that the per-user counter and a
		// gpu_idle alert exist soon;
		// the observer's yaml maps these environment names, and a placeholder also
		// resolves against properties
		stack = LocalStack.start(LocalStackSettings.forTest(root), Map.of("RAYLANE_ACCOUNTING_INTERVAL", "2s",
				"RAYLANE_IDLE_GPU_WINDOW", "2s", "RAYLANE_IDLE_GPU_THRESHOLD", "5"));
		Map<String, String> tokens = RaylaneClient.devTokens(stack.settings().dataDir());
		alice = new RaylaneClient(stack.apiUrl(), tokens.get("alice"));
		apiToken = tokens.get("admin");
	}

	@Test
	void shouldFindEveryMetricThatTheDashboardsAndRulesQueryInTheServicesOrRaysOutput() throws Exception {
		Map<String, Set<String>> used = usedNames();
		assertThat(used).as("the dashboards and rules query something").hasSizeGreaterThan(20);
		String shortJob = alice.submitCommand("gpu-short", "sleep 2", 1, 1);
		String longJob = alice.submitCommand("gpu-long", "sleep 600", 1, 2);
		KafkaProbe.produce(stack.bootstrapServers(), "raylane.job-commands", "garbage", "{not a command".getBytes());
		alice.awaitStatus(shortJob, Duration.ofSeconds(60), "SUCCEEDED");
		alice.awaitStatus(longJob, Duration.ofSeconds(60), "RUNNING");

		// the observer publishes per-job gauges and the idle alert on its next polls:
		// wait for them, then report
		Map<String, Set<String>> missing = new TreeMap<>();
		try {
			await().atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofSeconds(2)).until(() -> {
				missing.clear();
				missing.putAll(notExported(used, scrapeAll()));
				return missing.isEmpty();
			});
		}
		catch (org.awaitility.core.ConditionTimeoutException ex) {
			// reported below, with the names
		}
		assertThat(missing).as("metric names queried by deploy/ (name -> where) that no service or Ray node exports")
			.isEmpty();
	}

	/** Metric name → the dashboard panels and rules that query it. */
	static Map<String, Set<String>> usedNames() throws Exception {
		Map<String, Set<String>> used = new TreeMap<>();
		DeployQueries.all()
			.forEach((query, where) -> PromQlNames.of(query)
				.forEach((name) -> used.computeIfAbsent(name, (k) -> new TreeSet<>()).add(where)));
		return used;
	}

	private static Map<String, Set<String>> notExported(Map<String, Set<String>> used, Set<String> exported) {
		Map<String, Set<String>> missing = new TreeMap<>();
		used.forEach((name, where) -> {
			boolean histogram = exported.contains(name + "_bucket") || exported.contains(name + "_count");
			if (!exported.contains(name) && !histogram && !PROMETHEUS_OWN.contains(name)) {
				missing.put(name, where);
			}
		});
		return missing;
	}

	/**
	 * The sample names of every service's /actuator/prometheus and of the first worker's
	 * Ray metrics.
	 */
	private Set<String> scrapeAll() throws Exception {
		Set<String> names = new TreeSet<>();
		for (Map.Entry<String, Integer> service : stack.servicePorts().entrySet()) {
			HttpRequest.Builder request = HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + service.getValue() + "/actuator/prometheus"));
			if (LocalStack.API.equals(service.getKey())) {
				request.header("Authorization", "Bearer " + apiToken);
			}
			names.addAll(PrometheusText.names(scrape(request, service.getKey())));
		}
		String node = "http://127.0.0.2:" + stack.rayMetricsPort() + "/metrics";
		names.addAll(PrometheusText.names(scrape(HttpRequest.newBuilder(URI.create(node)), node)));
		return names;
	}

	private String scrape(HttpRequest.Builder request, String what) throws Exception {
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("scrape of " + what).isEqualTo(200);
		return response.body();
	}

}
