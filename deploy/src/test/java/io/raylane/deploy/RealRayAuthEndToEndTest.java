package io.raylane.deploy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.raylane.nodeagent.provision.NodeCommandHandler;
import io.raylane.nodeagent.provision.RayCommands;
import io.raylane.nodeagent.ssh.MinaRemoteShell;
import io.raylane.nodeagent.ssh.SshSettings;
import io.raylane.raycluster.RealRayCluster;
import io.raylane.raycluster.RealRayClusterSettings;
import io.raylane.topics.events.DecommissionNode;
import io.raylane.topics.events.Decommissioned;
import io.raylane.topics.events.ProvisionFailed;
import io.raylane.topics.events.ProvisionNode;
import io.raylane.topics.events.Provisioned;
import io.raylane.topics.json.Json;
import io.raylane.topics.node.NodeSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Raylane against a real Ray 2.60 cluster started with token authentication
 * ({@code RAY_AUTH_MODE=token} on every node): Ray refuses calls without the token, and
 * every call Raylane makes carries it (submit, status, logs, nodes); a W&amp;B job's key
 * reaches its driver and, through the netrc file, a Ray task on a worker, while Ray's job
 * list and job details never hold it; the node-agent's {@code ray start} over SSH joins
 * the cluster only with the token. The cluster is a {@link RealRayCluster} of its own (a
 * head and one worker, token authentication on every node); where none can run, the test
 * is skipped with the reason (failed instead where CI requires the real Ray).
 */
@Isolated
@Tag("slow")
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealRayAuthEndToEndTest {

	static final Duration JOB_TIMEOUT = Duration.ofSeconds(180);

	@TempDir
	static Path root;

	static RealRayCluster cluster;

	static LocalStack stack;

	static RaylaneClient alice;

	static RaylaneClient admin;

	static RaylaneClient ray;

	static WandbProbe probe;

	static String rayToken;

	@BeforeAll
	static void start() throws Exception {
		cluster = RealRayCluster.start(RealRayClusterSettings.defaults().withWorkers(1, 4).withTokenAuth(null));
		rayToken = cluster.authToken().orElseThrow();
		stack = LocalStack
			.start(LocalStackSettings.forTest(root).withRayAddress(cluster.dashboardUrl()).withRayAuthToken(rayToken));
		Map<String, String> tokens = RaylaneClient.devTokens(stack.settings().dataDir());
		alice = new RaylaneClient(stack.apiUrl(), tokens.get("alice"));
		admin = alice.as(tokens.get("admin"));
		ray = new RaylaneClient(cluster.dashboardUrl(), rayToken);
		probe = new WandbProbe(stack.settings().sharedRoot(), "alice").install(stack.settings().dataDir());
		alice.awaitHealthy();
	}

	@AfterAll
	static void stop() {
		// the stack first: its observer polls the head until it is closed
		if (stack != null) {
			stack.close();
		}
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	@Order(1)
	void shouldBeRefusedByRayWithoutTheTokenWhileRaylanesCallsSucceed(CapturedOutput output) {
		HttpResponse<String> anonymous = ray.as(null).get("/api/jobs/");
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.body()).isEqualTo("Unauthorized: Missing authentication token");
		assertThat(ray.as(null).get("/api/v0/nodes").statusCode()).isEqualTo(401);
		assertThat(ray.as("not-the-token").get("/api/version").statusCode()).isEqualTo(403);

		// submit (submitter), status (observer), logs (api and the submitter's archive)
		String id = alice.submitCommand("authed", "echo hello from a token cluster on $(hostname)", 1, 0);
		JsonNode job = alice.awaitStatus(id, JOB_TIMEOUT, "SUCCEEDED", "FAILED", "STOPPED", "REJECTED");
		assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
		// on the worker (its host name; Ray 2.60 gives no driver_info for a shell
		// entrypoint)
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(logs(id))
				.contains("hello from a token cluster on " + cluster.worker(1).hostname()));
		// nodes (the observer's /api/v0/nodes, as the scheduler's node views)
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(admin.get("/v1/nodes").body()).contains(cluster.worker(1).ip()));
		// every service's log, from the stack's start on
		assertThat(output.getAll()).contains("submitted " + id + " to Ray").doesNotContain(rayToken);
	}

	@Test
	@Order(2)
	void shouldGiveAWandbJobItsKeyWhileRaysAnswersNeverHoldIt(CapturedOutput output) throws IOException {
		String id = alice.submitYaml(probe.yaml("probe-real", 8));
		alice.awaitStatus(id, JOB_TIMEOUT, "RUNNING", "SUCCEEDED", "FAILED");

		// what any holder of the cluster's token reads (a non-browser client: Ray 2.60
		// redacts env_vars for browsers only)
		HttpResponse<String> list = ray.get("/api/jobs/");
		HttpResponse<String> one = ray.get("/api/jobs/" + id);
		assertThat(list.statusCode()).isEqualTo(200);
		assertThat(one.statusCode()).isEqualTo(200);
		assertThat(list.body()).contains(id).doesNotContain(probe.key);
		assertThat(one.body()).contains("NETRC").doesNotContain(probe.key);

		JsonNode job = alice.awaitStatus(id, JOB_TIMEOUT, "SUCCEEDED", "FAILED", "STOPPED");
		assertThat(job.get("status").asString()).as(job.toString() + "\n" + logs(id)).isEqualTo("SUCCEEDED");
		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(logs(id)).contains("probe done"));
		assertThat(logs(id))
			// the driver: the sourced env file and the netrc file
			.contains("probe driver: WANDB_API_KEY match, netrc match")
			// a Ray task on a worker: no driver environment, the netrc file through NETRC
			.contains("probe task: WANDB_API_KEY unset, netrc match");
		Path jobDir = Path.of(job.get("job_dir").asString());
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(jobDir.resolve("secrets")).doesNotExist());
		try (Stream<Path> files = Files.walk(jobDir)) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				// bytes as Latin-1: a binary file (the placement shim's .pyc) is checked
				// too
				assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
					.as(file.toString())
					.doesNotContain(probe.key);
			}
		}
		assertThat(output.getAll()).contains("submitted " + id + " to Ray").doesNotContain(probe.key, rayToken);
	}

	/**
	 * Last: it takes the only worker out and brings it back. The node-agent's own parts
	 * (MINA SSH into the worker's namespaces, the real {@code ray} CLI there) stop the
	 * worker, then start it again: refused without the token, joined with it.
	 */
	@Test
	@Order(3)
	void shouldProvisionAWorkerOverSshOnlyWithTheToken(CapturedOutput output) throws Exception {
		Assumptions.assumeTrue(cluster.ssh(), "the workers have no sshd here (apt-get install openssh-server)");
		String ip = cluster.worker(1).ip();
		NodeSpec spec = new NodeSpec("w1", ip, 22, cluster.sshUser().orElseThrow(), "default", Map.of(), 4, null);
		Path key = cluster.sshKey().orElseThrow();
		Path nodeDir = cluster.dir().resolve("nodes/w1");
		// what cluster.sh gives a worker beyond RayCommands' own arguments
		Map<String, List<String>> poolArgs = Map.of("default",
				List.of("--temp-dir=" + nodeDir.resolve("ray"), "--object-store-memory=104857600",
						"--dashboard-agent-listen-port=52365", "--num-cpus=4", "--disable-usage-stats"));
		List<String> rayCli = List.of(cluster.rayBin().toString());
		String head = cluster.gcsAddress();
		try (MinaRemoteShell shell = new MinaRemoteShell(
				new SshSettings(key, key.getParent(), cluster.sshKnownHosts().orElseThrow(), false,
						Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(120), 2, 20))) {
			NodeCommandHandler withToken = handler(shell,
					new RayCommands(rayCli, head, poolArgs, cluster.metricsPort(), rayToken));
			NodeCommandHandler withoutToken = handler(shell,
					new RayCommands(rayCli, head, poolArgs, cluster.metricsPort()));
			String before = aliveNodeId(ip);

			// 1. ray stop over SSH: Ray sees the worker go
			Object stopped = withToken.handle(new DecommissionNode(1, "w1", "default", spec, Instant.now()));
			assertThat(stopped).isInstanceOfSatisfying(Decommissioned.class,
					(d) -> assertThat(d.stopped()).as(d.toString()).isTrue());
			await().atMost(Duration.ofSeconds(60)).until(() -> aliveNodeId(ip) == null);
			// 2. ray start without the token: the head refuses the node
			Object refused = withoutToken.handle(new ProvisionNode(1, "w1", "default", spec, 1, Instant.now()));
			assertThat(refused).isInstanceOf(ProvisionFailed.class);
			withToken.handle(new DecommissionNode(1, "w1", "default", spec, Instant.now()));
			assertThat(aliveNodeId(ip)).isNull();
			// 3. ray start with the token on stdin: joined, under a new node id
			Object provisioned = withToken.handle(new ProvisionNode(1, "w1", "default", spec, 2, Instant.now()));
			assertThat(provisioned).as(Json.writeString(provisioned)).isInstanceOf(Provisioned.class);
			String after = await().atMost(Duration.ofSeconds(90)).until(() -> aliveNodeId(ip), (id) -> id != null);
			assertThat(after).isNotEqualTo(before);

			for (Object event : List.of(stopped, refused, provisioned)) {
				assertThat(Json.writeString(event)).doesNotContain(rayToken);
			}
			assertThat(output.getAll()).contains("running 'sh' '-c'").doesNotContain(rayToken);
		}
	}

	static NodeCommandHandler handler(MinaRemoteShell shell, RayCommands commands) {
		return new NodeCommandHandler(shell, commands, new RetryTemplate(RetryPolicy.builder().maxRetries(0).build()),
				Duration.ofSeconds(5), Clock.systemUTC());
	}

	/** The node id Ray lists ALIVE at {@code ip}, or null (asked with the token). */
	static String aliveNodeId(String ip) {
		return cluster.aliveNodeId(ip).orElse(null);
	}

	static String logs(String id) {
		return Json.mapper().readTree(alice.get("/v1/jobs/" + id + "/logs").body()).get("logs").asString();
	}

}
