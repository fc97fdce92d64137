package io.raylane.deploy;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.raylane.deploy.fleet.SshWorker;
import io.raylane.nodeagent.ssh.TestKeys;
import io.raylane.raystandin.RayStandIn;
import io.raylane.topics.Topics;
import io.raylane.topics.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /v1/ops/drain_node} end to end on the local stack (issue 16): a worker
 * "container" (a MINA SSHD server with a real shell and the {@code ray} stand-in),
 * registered with a per-node env through the API and provisioned over SSH; a job runs on
 * it; the dry run changes nothing and says the deadline would stop the job; the drain
 * with a deadline and a reason stops the job at the deadline with that reason, then
 * {@code ray stop} takes the node OFFLINE; the audit has both calls.
 * <p>
 * {@code restart_ray_head} is not run here: the local stack's head is an in-process
 * stand-in that no SSH {@code ray start --head} can restart; its API round trip is
 * {@code OpsApiTest} (api) and its SSH commands {@code RayHeadRestartTest} (node-agent).
 */
@Tag("slow")
class OpsEndToEndTest {

	static final Duration WAIT = Duration.ofSeconds(90);

	static final String USER = System.getProperty("user.name");

	@TempDir
	static Path root;

	static LocalStack stack;

	static RaylaneClient admin;

	static RaylaneClient alice;

	static SshWorker worker;

	@BeforeAll
	static void startStack() throws Exception {
		Path key = TestKeys.generate(root.resolve("id_ed25519"), "ed25519");
		Path bin = root.resolve("bin");
		RayStandIn.install(bin);
		Path knownHosts = root.resolve("known_hosts");
		worker = SshWorker.start("127.0.0.21", root, TestKeys.publicKey(key), bin);
		worker.trustIn(knownHosts);
		LocalStackSettings settings = new LocalStackSettings(0, 0, Optional.empty(), Optional.empty(), 0, 0, 4,
				root.resolve("shared"), root.resolve("data"), Optional.empty());
		stack = LocalStack.start(settings,
				Map.of("raylane.ssh.key", key.toString(), "raylane.ssh.known-hosts", knownHosts.toString(),
						"raylane.node-agent.retry.max-retries", "2", "raylane.node-agent.retry.delay", "100ms",
						"raylane.node-agent.connect-timeout", "3s", "raylane.observer.poll-interval", "500ms"));
		Map<String, String> tokens = RaylaneClient.devTokens(stack.settings().dataDir());
		admin = new RaylaneClient(stack.apiUrl(), tokens.get("admin"));
		alice = admin.as(tokens.get("alice"));
		await().atMost(WAIT).until(() -> admin.as(null).get("/actuator/health").statusCode() == 200);
	}

	@AfterAll
	static void stopStack() throws Exception {
		if (stack != null) {
			stack.close();
		}
		if (worker != null) {
			worker.close();
		}
	}

	static JsonNode node(String id) {
		return Json.mapper().readTree(admin.get("/v1/nodes/" + id).body());
	}

	static JsonNode awaitState(String id, String state) {
		return await(id + " " + state).atMost(WAIT)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> node(id), (n) -> state.equals(n.path("state").asString()));
	}

	@Test
	void shouldDryRunThenDrainWithADeadlineStoppingTheRunningJobWithTheReason() {
		// 1. a registered worker with its own environment, ONLINE, running a job
		HttpResponse<String> registered = admin.post("/v1/nodes", "application/json",
				"{\"node_id\":\"ops-w1\",\"host\":\"" + worker.ip() + "\",\"port\":" + worker.port() + ",\"user\":\""
						+ USER + "\",\"pool\":\"default\",\"gpus\":4,\"env\":{\"NCCL_SOCKET_IFNAME\":\"lo\"}}");
		assertThat(registered.statusCode()).as(registered.body()).isEqualTo(202);
		awaitState("ops-w1", "ONLINE");
		assertThat(node("ops-w1").get("env").get("NCCL_SOCKET_IFNAME").asString()).isEqualTo("lo");
		String job = alice.submitCommand("ops-drain", "sleep 600", 1, 1);
		alice.awaitStatus(job, WAIT, "RUNNING");

		// 2. the dry run: the plan, nothing changed
		HttpResponse<String> dry = admin.post("/v1/ops/drain_node", "application/json",
				"{\"node_id\":\"ops-w1\",\"timeout\":\"5s\",\"reason\":\"e2e maintenance\",\"dry_run\":true}");
		assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
		JsonNode plan = Json.mapper().readTree(dry.body());
		assertThat(plan.get("jobs").get(0).get("job_id").asString()).isEqualTo(job);
		assertThat(plan.get("jobs").get(0).get("action").asString()).isEqualTo("stop");
		assertThat(node("ops-w1").get("state").asString()).isEqualTo("ONLINE");
		assertThat(alice.job(job).get("status").asString()).isEqualTo("RUNNING");

		// 3. the drain: at the deadline the job is stopped with the reason, then OFFLINE
		HttpResponse<String> drain = admin.post("/v1/ops/drain_node", "application/json",
				"{\"node_id\":\"ops-w1\",\"timeout\":\"5s\",\"reason\":\"e2e maintenance\"}");
		assertThat(drain.statusCode()).as(drain.body()).isEqualTo(202);
		assertThat(awaitState("ops-w1", "DRAINING").get("reason").asString()).contains("e2e maintenance");
		JsonNode stopped = alice.awaitStatus(job, WAIT, "STOPPED");
		assertThat(stopped.get("reason").asString())
			.contains("the drain deadline of node ops-w1 passed (drain reason: e2e maintenance)");
		awaitState("ops-w1", "OFFLINE");
		assertThat(worker.rayRunning()).isFalse();

		// 4. both calls audited
		await().atMost(WAIT).untilAsserted(() -> {
			List<String> audit = KafkaProbe.readAll(stack.bootstrapServers(), Topics.AUDIT.name())
				.stream()
				.map(String::new)
				.filter((a) -> a.contains("\"drain_node\"") && a.contains("ops-w1"))
				.toList();
			assertThat(audit).anySatisfy((a) -> assertThat(a).contains("\"dry_run\""))
				.anySatisfy((a) -> assertThat(a).contains("\"accepted\""));
		});
	}

}
