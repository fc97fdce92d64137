package io.raylane.deploy;

import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import io.raylane.deploy.fleet.SshWorker;
import io.raylane.deploy.metrics.AlertmanagerBinaries;
import io.raylane.deploy.metrics.DeployQueries;
import io.raylane.deploy.metrics.ExternalServer;
import io.raylane.nodeagent.ssh.TestKeys;
import io.raylane.raystandin.LocalRayHead;
import io.raylane.raystandin.RayStandIn;
import io.raylane.topics.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Alerts reach a person (issue 16 item 4): the all-in-one stack, a real Prometheus
 * (Debian's {@code prometheus}) scraping it with the repository's alert rules, and a real
 * Alertmanager (Debian's {@code prometheus-alertmanager}) with the repository's
 * alertmanager.yml, whose webhook points at this test's HTTP server. A job whose
 * simulated GPUs stay idle (the stand-in head's simulated GPUs report 0 % until told
 * otherwise) raises {@code gpu_idle} on raylane.alerts, and a registered node whose
 * raylet dies (the head's {@code crash}: Ray's health-check death) is declared lost; both
 * reach the webhook, each through its severity's receiver.
 * <p>
 * The test copies differ from the shipped files only where time or addresses demand it:
 * prometheus-local.yml gets the stack's ports, 1 s scrape and evaluation intervals and
 * the test Alertmanager; the rules get {@code for: 1s} instead of their minutes
 * (expressions, labels and annotations unchanged); alertmanager.yml gets the webhook URL
 * and {@code group_wait: 1s}. The stack runs with a 2 s idle window and
 * {@code node-lost-after} 2 s without re-provisioning. Skipped, with the reason, without
 * the programs; failed under CI=true + RAYLANE_REQUIRE_ALERTMANAGER=true.
 */
@Tag("slow")
@Isolated("starts the stack, an SSH worker, Prometheus and Alertmanager")
class AlertDeliveryEndToEndTest {

	static final Duration WAIT = Duration.ofSeconds(90);

	static final String WORKER_IP = "127.0.0.31";

	static final String LOST_POOL = "edge";

	@TempDir
	static Path root;

	static SshWorker worker;

	static LocalStack stack;

	static HttpServer webhook;

	static ExternalServer alertmanager;

	static ExternalServer prometheus;

	static RaylaneClient admin;

	static RaylaneClient alice;

	/** Every notification Alertmanager posted to the webhook, as JSON. */
	static final List<JsonNode> RECEIVED = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void startEverything() throws Exception {
		Path prometheusBin = AlertmanagerBinaries.prometheus();
		Path alertmanagerBin = AlertmanagerBinaries.alertmanager();

		Path key = TestKeys.generate(root.resolve("id_ed25519"), "ed25519");
		Path bin = root.resolve("bin");
		RayStandIn.install(bin);
		Path knownHosts = root.resolve("known_hosts");
		worker = SshWorker.start(WORKER_IP, root, TestKeys.publicKey(key), bin);
		worker.trustIn(knownHosts);
		stack = LocalStack.start(LocalStackSettings.forTest(root),
				Map.of("raylane.ssh.key", key.toString(), "raylane.ssh.known-hosts", knownHosts.toString(),
						"raylane.observer.poll-interval", "500ms", "RAYLANE_IDLE_GPU_WINDOW", "2s",
						"RAYLANE_IDLE_GPU_THRESHOLD", "5", "raylane.scheduler.node-lost-after", "2s",
						"raylane.scheduler.node-reprovision-attempts", "0"));
		Map<String, String> tokens = RaylaneClient.devTokens(stack.settings().dataDir());
		admin = new RaylaneClient(stack.apiUrl(), tokens.get("admin"));
		alice = admin.as(tokens.get("alice"));
		admin.awaitHealthy();

		webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		webhook.createContext("/hook", (exchange) -> {
			RECEIVED.add(Json.mapper().readTree(exchange.getRequestBody().readAllBytes()));
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		webhook.start();

		int amPort = ExternalServer.freePort();
		Path am = Files.createDirectories(root.resolve("alertmanager"));
		Files.writeString(am.resolve("alertmanager.yml"),
				alertmanagerCopy("http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook"));
		// --cluster.listen-address= turns off the HA gossip, which would listen on all
		// addresses
		alertmanager = ExternalServer
			.start("alertmanager",
					List.of(alertmanagerBin.toString(), "--config.file=alertmanager.yml", "--storage.path=data",
							"--web.listen-address=127.0.0.1:" + amPort, "--cluster.listen-address="),
					am, amPort)
			.awaitReady(WAIT);

		int promPort = ExternalServer.freePort();
		Path prom = root.resolve("prometheus");
		Files.createDirectories(prom.resolve("rules"));
		Files.writeString(prom.resolve("raylane-api.token"), tokens.get("admin") + "\n");
		Files.writeString(prom.resolve("rules/raylane-alerts.yml"), rulesCopy());
		Files.copy(DeployQueries.PROMETHEUS.resolve("rules/raylane-storage.yml"),
				prom.resolve("rules/raylane-storage.yml"));
		Files.writeString(prom.resolve("prometheus.yml"), prometheusCopy(amPort));
		prometheus = ExternalServer
			.start("prometheus", List.of(prometheusBin.toString(), "--config.file=prometheus.yml",
					"--storage.tsdb.path=data", "--web.listen-address=127.0.0.1:" + promPort), prom, promPort)
			.awaitReady(WAIT);
	}

	@AfterAll
	static void stopEverything() throws Exception {
		for (AutoCloseable closeable : new AutoCloseable[] { prometheus, alertmanager, stack, worker }) {
			if (closeable != null) {
				closeable.close();
			}
		}
		if (webhook != null) {
			webhook.stop(0);
		}
	}

	@Test
	void shouldDeliverAGpuIdleAlertAndANodeLostAlertToTheWebhook() throws Exception {
		// an idle job: the simulated GPUs of its node report 0 % utilization
		String idle = alice.submitCommand("idle-gpus", "sleep 600", 1, 1);
		alice.awaitStatus(idle, WAIT, "RUNNING");
		// a registered node of its own pool, whose raylet then dies
		assertThat(admin
			.post("/v1/nodes", "application/json",
					"{\"node_id\":\"edge-1\",\"host\":\"" + WORKER_IP + "\",\"port\":" + worker.port() + ",\"user\":\""
							+ System.getProperty("user.name") + "\",\"pool\":\"" + LOST_POOL + "\",\"gpus\":4}")
			.statusCode()).isEqualTo(202);
		awaitNode("edge-1", (n) -> "ONLINE".equals(n.path("state").asString()));
		LocalRayHead head = stack.localHead();
		assertThat(head.leaveIp(WORKER_IP, LocalRayHead.HEALTH_CHECK_DEATH)).isNotEmpty();
		JsonNode lost = awaitNode("edge-1", (n) -> "FAILED".equals(n.path("state").asString()));
		assertThat(lost.path("reason").asString()).startsWith("lost: Ray reports the node dead since");

		JsonNode gpuIdle = awaitAlert("RaylaneGpuIdle", Map.of("job_id", idle));
		JsonNode nodeLost = awaitAlert("RaylaneNodeLost", Map.of("pool", LOST_POOL));

		assertThat(gpuIdle.path("labels").path("severity").asString()).isEqualTo("warning");
		assertThat(gpuIdle.path("labels").path("user").asString()).isEqualTo("alice");
		assertThat(gpuIdle.path("labels").path("pool").asString()).isEqualTo("default");
		assertThat(gpuIdle.path("annotations").path("summary").asString())
			.isEqualTo("Job " + idle + " of alice holds idle GPUs");
		assertThat(nodeLost.path("labels").path("severity").asString()).isEqualTo("critical");
		assertThat(nodeLost.path("annotations").path("summary").asString())
			.isEqualTo("1 node(s) of pool " + LOST_POOL + " lost");
		// each through the receiver of its severity
		assertThat(notificationOf("RaylaneGpuIdle").path("receiver").asString()).isEqualTo("raylane-warning");
		assertThat(notificationOf("RaylaneNodeLost").path("receiver").asString()).isEqualTo("raylane-critical");
		// and Raylane's own gpu_idle alert of raylane.alerts is visible to Prometheus
		JsonNode active = query("raylane_alert_active{kind=\"gpu_idle\",job_id=\"" + idle + "\"}");
		assertThat(active.path("data").path("result")).hasSize(1);
		assertThat(active.path("data").path("result").get(0).path("metric").path("severity").asString())
			.isEqualTo("warning");
	}

	static JsonNode awaitNode(String id, java.util.function.Predicate<JsonNode> condition) {
		return await(id).atMost(WAIT)
			.pollInterval(Duration.ofMillis(250))
			.until(() -> Json.mapper().readTree(admin.get("/v1/nodes/" + id).body()), condition::test);
	}

	/** The first firing alert of that name with those labels the webhook received. */
	static JsonNode awaitAlert(String name, Map<String, String> labels) {
		return await(name + " " + labels + " at the webhook (Prometheus: " + prometheus.url() + ")").atMost(WAIT)
			.pollInterval(Duration.ofMillis(500))
			.until(() -> firing(name, labels), Optional::isPresent)
			.orElseThrow();
	}

	private static Optional<JsonNode> firing(String name, Map<String, String> labels) {
		for (JsonNode notification : RECEIVED) {
			for (JsonNode alert : notification.path("alerts")) {
				JsonNode l = alert.path("labels");
				boolean match = name.equals(l.path("alertname").asString())
						&& "firing".equals(alert.path("status").asString())
						&& labels.entrySet()
							.stream()
							.allMatch((e) -> e.getValue().equals(l.path(e.getKey()).asString()));
				if (match) {
					return Optional.of(alert);
				}
			}
		}
		return Optional.empty();
	}

	private static JsonNode notificationOf(String name) {
		return RECEIVED.stream()
			.filter((n) -> name.equals(n.path("commonLabels").path("alertname").asString()))
			.findFirst()
			.orElseThrow();
	}

	private static JsonNode query(String promql) throws Exception {
		var response = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest
				.newBuilder(java.net.URI.create(
						prometheus.url() + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return Json.mapper().readTree(response.body());
	}

	/** alertmanager.yml with the webhook URL pointed at {@code url} and group_wait 1s. */
	static String alertmanagerCopy(String url) throws Exception {
		String shipped = Files.readString(DeployQueries.DEPLOY.resolve("alertmanager/alertmanager.yml"));
		String copy = replaceAll(shipped, "url: 'http://127\\.0\\.0\\.1:9095/raylane-alerts'", "url: '" + url + "'");
		return replaceAll(copy, "group_wait: \\d+[smh]", "group_wait: 1s");
	}

	/** The shipped rules with every {@code for:} at 1s. */
	static String rulesCopy() throws Exception {
		String shipped = Files.readString(DeployQueries.PROMETHEUS.resolve("rules/raylane-alerts.yml"));
		return replaceAll(shipped, "(?m)^(\\s+)for: \\S+$", "$1for: 1s");
	}

	/**
	 * prometheus-local.yml with the stack's ports, 1 s intervals, the test Alertmanager
	 * and the local head's service-discovery file.
	 */
	static String prometheusCopy(int alertmanagerPort) throws Exception {
		String copy = Files.readString(DeployQueries.PROMETHEUS.resolve("prometheus-local.yml"));
		copy = replaceAll(copy, "(scrape|evaluation)_interval: 5s", "$1_interval: 1s");
		copy = replaceAll(copy, "'127\\.0\\.0\\.1:9093'", "'127.0.0.1:" + alertmanagerPort + "'");
		Map<String, Integer> ports = stack.servicePorts();
		copy = replaceAll(copy, "'127\\.0\\.0\\.1:8080'", "'127.0.0.1:" + ports.get(LocalStack.API) + "'");
		copy = replaceAll(copy, "'127\\.0\\.0\\.1:9201'", "'127.0.0.1:" + ports.get(LocalStack.SCHEDULER) + "'");
		copy = replaceAll(copy, "'127\\.0\\.0\\.1:9202'", "'127.0.0.1:" + ports.get(LocalStack.SUBMITTER) + "'");
		copy = replaceAll(copy, "'127\\.0\\.0\\.1:9203'", "'127.0.0.1:" + ports.get(LocalStack.OBSERVER) + "'");
		copy = replaceAll(copy, "'127\\.0\\.0\\.1:9204'", "'127.0.0.1:" + ports.get(LocalStack.NODE_AGENT) + "'");
		return replaceAll(copy, "'\\.\\./\\.\\./\\.raylane/data/local-ray/prom_metrics_service_discovery\\.json'",
				"'" + stack.localHead().serviceDiscoveryFile() + "'");
	}

	/** Replaces every match, and fails when there is none (the shipped file changed). */
	static String replaceAll(String text, String regex, String replacement) {
		Matcher matcher = Pattern.compile(regex).matcher(text);
		assertThat(matcher.find()).as("the shipped file has " + regex).isTrue();
		return matcher.replaceAll(replacement);
	}

}
