package io.raylane.nodeagent.realray;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.raylane.nodeagent.provision.NodeCommandHandler;
import io.raylane.nodeagent.provision.RayCommands;
import io.raylane.nodeagent.ssh.MinaRemoteShell;
import io.raylane.nodeagent.ssh.SshSettings;
import io.raylane.nodeagent.ssh.TransientShellException;
import io.raylane.rayclient.wire.RayJson;
import io.raylane.rayclient.wire.RayListResponse;
import io.raylane.rayclient.wire.RayNodeState;
import io.raylane.raycluster.RealRayCluster;
import io.raylane.raycluster.RealRayClusterSettings;
import io.raylane.raycluster.RealRayPrerequisites;
import io.raylane.topics.events.Decommissioned;
import io.raylane.topics.events.DrainDelivered;
import io.raylane.topics.events.DrainNode;
import io.raylane.topics.events.DrainOnRay;
import io.raylane.topics.events.NodeEvent;
import io.raylane.topics.events.ProvisionNode;
import io.raylane.topics.events.Provisioned;
import io.raylane.topics.node.NodeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The node-agent against a real worker host (issue 11): a Ray 2.60 worker in its own
 * network namespace with sshd (a {@link RealRayCluster} of its own: a head and one
 * worker), driven through the real {@link NodeCommandHandler} with the MINA SSH shell and
 * the real {@code ray} CLI. It provisions the worker (Ray lists it ALIVE with the IP
 * literal, metrics on the configured port), drains it (Ray reports it DRAINING while a
 * job runs there and ends it with the reason once the job left), stops Ray, and
 * provisions a worker whose raylet was killed (DEAD in Ray) again, under a new node id.
 * Which command the scheduler sends when is tested in scheduler-streams
 * (NodeRecoveryTest, NodeDrainTest, the topology tests).
 */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealRayProvisioningTest {

	/** Not the cluster's own 8090: proves the setting reaches ray start. */
	static final int METRICS_PORT = 8091;

	static final Duration WAIT = Duration.ofSeconds(90);

	static final TypeReference<RayListResponse<RayNodeState>> NODES = new TypeReference<>() {
	};

	static RealRayCluster cluster;

	static MinaRemoteShell shell;

	static NodeCommandHandler agent;

	static NodeSpec worker;

	static final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	@BeforeAll
	static void startCluster() {
		cluster = RealRayCluster.start(RealRayClusterSettings.defaults().withWorkers(1, 4));
		if (!cluster.ssh()) {
			// skipped, or failed where CI requires the real Ray
			throw RealRayPrerequisites.unavailable("the worker has no sshd (Debian: apt-get install openssh-server)");
		}
		Path key = cluster.sshKey().orElseThrow();
		shell = new MinaRemoteShell(new SshSettings(key, key.getParent(), cluster.sshKnownHosts().orElseThrow(), false,
				Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(150), 4, 20));
		// the nodes share one filesystem, so each needs its own --temp-dir (as cluster.sh
		// gives it); a small object store keeps the machine's memory
		RayCommands ray = new RayCommands(List.of(cluster.rayBin().toString()), cluster.gcsAddress(),
				Map.of("default", List.of("--temp-dir=" + cluster.dir().resolve("nodes/w1/ray"), "--num-cpus=4",
						"--object-store-memory=104857600", "--disable-usage-stats")),
				METRICS_PORT);
		agent = new NodeCommandHandler(shell, ray,
				new RetryTemplate(RetryPolicy.builder()
					.includes(TransientShellException.class)
					.maxRetries(2)
					.delay(Duration.ofSeconds(1))
					.build()),
				Duration.ofSeconds(10), Clock.systemUTC());
		worker = new NodeSpec("w1", cluster.worker(1).ip(), 22, cluster.sshUser().orElseThrow(), "default", Map.of(), 4,
				null);
	}

	@AfterAll
	static void stopCluster() {
		if (shell != null) {
			shell.close();
		}
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	@Order(1)
	void shouldProvisionTheWorkerOverSshWithItsIpLiteralAndTheConfiguredMetricsPort() throws Exception {
		String before = aliveWorker().orElseThrow().nodeId();

		long t0 = System.nanoTime();
		NodeEvent event = agent.handle(new ProvisionNode(1, "w1", "default", worker, 1, Instant.now()));
		log("provisioned (ray stop of cluster.sh's Ray, then ray start) in " + millis(t0) + " ms");

		assertThat(event).isInstanceOf(Provisioned.class);
		RayNodeState alive = awaitAliveWorkerOtherThan(before);
		assertThat(alive.nodeIp()).isEqualTo(worker.host());
		assertThat(alive.resourcesTotal()).containsEntry("GPU", 4.0).containsEntry("raylane-pool-default", 1000.0);
		assertThat(node(before).state()).isEqualTo("DEAD");
		assertThat(node(before).stateMessage()).isEqualTo("Expected termination: received SIGTERM");
		awaitMetrics();
	}

	@Test
	@Order(2)
	void shouldTellRayOfTheDrainThenStopRayOnceTheJobLeft() throws Exception {
		RayNodeState node = aliveWorker().orElseThrow();
		String job = "nodes-drain-" + System.currentTimeMillis();
		post("/api/jobs/", "{\"submission_id\": \"" + job + "\", \"entrypoint\": \"sleep 300\", "
				+ "\"entrypoint_resources\": {\"raylane-pool-default\": 1}}");
		await("job running on the worker").atMost(WAIT)
			.until(() -> "RUNNING".equals(job(job).get("status").asString()));
		assertThat(job(job).get("driver_node_id").asString()).isEqualTo(node.nodeId());

		// 1. Ray is told while the job runs
		String message = "raylane: node w1 is draining (node-agent real-host test)";
		NodeEvent told = agent.handle(new DrainOnRay(1, "w1", "default", worker, node.nodeId(), message,
				Instant.now().plusSeconds(600), Instant.now()));
		assertThat(told).isInstanceOfSatisfying(DrainDelivered.class, (d) -> {
			assertThat(d.accepted()).as(d.stderrTail()).isTrue();
			assertThat(d.exitCode()).isZero();
		});
		await("Ray reports the node draining").atMost(WAIT)
			.until(() -> rayNodeStatus(node.nodeId()).equals("DRAINING"));
		assertThat(node(node.nodeId()).state()).as("busy: still alive").isEqualTo("ALIVE");

		// 2. the job leaves: Ray ends the node itself, with Raylane's reason
		post("/api/jobs/" + job + "/stop", "");
		await("the drained node gone").atMost(WAIT).until(() -> "DEAD".equals(node(node.nodeId()).state()));
		assertThat(node(node.nodeId()).stateMessage()).isEqualTo("Terminated due to preemption: " + message);

		// 3. then ray stop clears what Ray left on the host (its log monitor)
		NodeEvent stopped = agent.handle(new DrainNode(1, "w1", "default", worker, null, Instant.now()));
		assertThat(stopped).isInstanceOfSatisfying(Decommissioned.class, (d) -> {
			assertThat(d.stopped()).isTrue();
			assertThat(d.forced()).isFalse();
		});
		assertThat(cluster.exec("w1", "pgrep", "-f", "ray/_private").exitCode()).as("no Ray process left").isEqualTo(1);
	}

	@Test
	@Order(3)
	void shouldProvisionAWorkerWhoseRayletDiedAgainUnderANewNodeId() throws Exception {
		assertThat(agent.handle(new ProvisionNode(1, "w1", "default", worker, 2, Instant.now())))
			.isInstanceOf(Provisioned.class);
		RayNodeState first = awaitAliveWorkerOtherThan(null);

		long t0 = System.nanoTime();
		cluster.killRaylet("w1");
		await("Ray reports the node dead").atMost(WAIT).until(() -> "DEAD".equals(node(first.nodeId()).state()));
		log("raylet killed → DEAD after " + millis(t0) + " ms");
		assertThat(node(first.nodeId()).stateMessage())
			.isEqualTo("Unexpected termination: health check failed due to missing too many heartbeats");

		long t1 = System.nanoTime();
		NodeEvent again = agent.handle(new ProvisionNode(1, "w1", "default", worker, 3, Instant.now()));
		assertThat(again).isInstanceOf(Provisioned.class);
		RayNodeState back = awaitAliveWorkerOtherThan(first.nodeId());
		log("re-provisioned, ALIVE under a new id after " + millis(t1) + " ms");
		assertThat(back.nodeIp()).isEqualTo(worker.host());
		assertThat(nodes().stream().filter((n) -> worker.host().equals(n.nodeIp()) && n.alive()))
			.as("one raylet on the host")
			.hasSize(1);
		awaitMetrics();
	}

	// --- Ray, as the observer would see it ---

	static List<RayNodeState> nodes() throws Exception {
		HttpResponse<String> response = http
			.send(HttpRequest.newBuilder(URI.create(cluster.dashboardUrl() + "/api/v0/nodes?detail=1&limit=1000"))
				.timeout(Duration.ofSeconds(20))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return RayJson.mapper().readValue(response.body(), NODES).items();
	}

	static RayNodeState node(String nodeId) throws Exception {
		return nodes().stream().filter((n) -> nodeId.equals(n.nodeId())).findFirst().orElseThrow();
	}

	static Optional<RayNodeState> aliveWorker() throws Exception {
		return nodes().stream().filter((n) -> worker.host().equals(n.nodeIp()) && n.alive()).findFirst();
	}

	static RayNodeState awaitAliveWorkerOtherThan(String oldId) {
		return await("the worker ALIVE in Ray under a new id").atMost(WAIT)
			.until(() -> aliveWorker().filter((n) -> !n.nodeId().equals(oldId)).orElse(null), (n) -> n != null);
	}

	/**
	 * The GCS's view of the node (ACTIVE, IDLE, DRAINING), which the dashboard lacks:
	 * asked by the venv's Python on the head.
	 */
	static String rayNodeStatus(String nodeId) {
		RealRayCluster.ExecResult result = cluster.exec("head", "python", "-c", """
				from ray.autoscaler.v2.sdk import get_cluster_status
				s = get_cluster_status("%s")
				print(next((n.node_status for n in s.active_nodes + s.idle_nodes if n.node_id == "%s"), "GONE"))
				""".formatted(cluster.gcsAddress(), nodeId));
		assertThat(result.exitCode()).as(result.output()).isZero();
		String[] lines = result.output().strip().split("\n");
		return lines[lines.length - 1].strip();
	}

	static void awaitMetrics() {
		URI metrics = URI.create("http://" + worker.host() + ":" + METRICS_PORT + "/metrics");
		await("metrics on " + metrics).atMost(WAIT).ignoreExceptions().until(() -> {
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
					HttpResponse.BodyHandlers.ofString());
			return response.statusCode() == 200 && response.body().contains("ray_node_cpu_utilization");
		});
	}

	static JsonNode job(String id) throws Exception {
		HttpResponse<String> response = http
			.send(HttpRequest.newBuilder(URI.create(cluster.dashboardUrl() + "/api/jobs/" + id))
				.timeout(Duration.ofSeconds(20))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return RayJson.mapper().readTree(response.body());
	}

	static void post(String path, String json) throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(cluster.dashboardUrl() + path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

	static long millis(long since) {
		return (System.nanoTime() - since) / 1_000_000;
	}

	static void log(String line) {
		System.out.println("RealRayProvisioningTest: " + line);
	}

}
