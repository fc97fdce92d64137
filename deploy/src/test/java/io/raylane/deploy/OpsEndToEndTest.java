package io.raylane.deploy;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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
 * {@code POST /v1/ops/restart_ray_head} on the same stack: the head is a registered node
 * of role head on its own SSH "container", whose {@code ray} is a recording fixture (the
 * local stack's head is the in-process stand-in, which no {@code ray start --head} over
 * SSH can restart, and the stand-in's {@code ray} refuses {@code --head}); the real part
 * is everything around it: 409 naming the running job, the dry run, the forced restart
 * through the node-agent over SSH ({@code ray stop}, {@code ray start --head} on the
 * head, then {@code ray stop}, {@code ray start --address} re-provisioning the real
 * stand-in worker), the running job STOPPED with the restart as its reason, the
 * operation's outcome. A real Ray head restart is {@code RealRayHeadRestartTest}.
 */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpsEndToEndTest {

	static final Duration WAIT = Duration.ofSeconds(90);

	static final String USER = System.getProperty("user.name");

	@TempDir
	static Path root;

	static LocalStack stack;

	static RaylaneClient admin;

	static RaylaneClient alice;

	static SshWorker worker;

	static SshWorker worker2;

	static SshWorker head;

	/** What the head's fixture {@code ray} was asked, one line per call. */
	static Path headCalls;

	@BeforeAll
	static void startStack() throws Exception {
		Path key = TestKeys.generate(root.resolve("id_ed25519"), "ed25519");
		Path bin = root.resolve("bin");
		RayStandIn.install(bin);
		Path knownHosts = root.resolve("known_hosts");
		worker = SshWorker.start("127.0.0.21", root, TestKeys.publicKey(key), bin);
		worker.trustIn(knownHosts);
		worker2 = SshWorker.start("127.0.0.22", root, TestKeys.publicKey(key), bin);
		worker2.trustIn(knownHosts);
		// the head's ray: a fixture that records its arguments and succeeds
		headCalls = root.resolve("head-calls");
		Path headBin = Files.createDirectories(root.resolve("head-bin"));
		Path headRay = headBin.resolve("ray");
		Files.writeString(headRay, "#!/bin/sh\necho \"$*\" >> '" + headCalls + "'\necho \"ray $1 (fixture)\"\n");
		Files.setPosixFilePermissions(headRay, PosixFilePermissions.fromString("rwxr-xr-x"));
		head = SshWorker.start("127.0.0.23", root, TestKeys.publicKey(key), headBin);
		head.trustIn(knownHosts);
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
		for (SshWorker each : new SshWorker[] { worker, worker2, head }) {
			if (each != null) {
				each.close();
			}
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
	@Order(1)
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

	@Test
	@Order(2)
	void shouldRestartTheRayHeadOverSshOnlyWhenForcedWhileAJobRuns() throws Exception {
		// 1. the head (role head) and a worker, registered; a job running on the worker
		assertThat(admin
			.post("/v1/nodes", "application/json",
					"{\"node_id\":\"ops-head\",\"host\":\"" + head.ip() + "\",\"port\":" + head.port() + ",\"user\":\""
							+ USER + "\",\"pool\":\"head\",\"gpus\":0,\"role\":\"head\"}")
			.statusCode()).isEqualTo(202);
		assertThat(admin
			.post("/v1/nodes", "application/json",
					"{\"node_id\":\"ops-w2\",\"host\":\"" + worker2.ip() + "\",\"port\":" + worker2.port()
							+ ",\"user\":\"" + USER + "\",\"pool\":\"default\",\"gpus\":4}")
			.statusCode()).isEqualTo(202);
		assertThat(awaitState("ops-head", "ONLINE").get("role").asString()).isEqualTo("head");
		awaitState("ops-w2", "ONLINE");
		String job = alice.submitCommand("ops-restart", "sleep 600", 1, 1);
		alice.awaitStatus(job, WAIT, "RUNNING");
		long headStarts = Files.readAllLines(headCalls).stream().filter((l) -> l.startsWith("start --head")).count();
		assertThat(headStarts).as("registering the head provisions it").isEqualTo(1);

		// 2. refused while the job runs, naming it; the dry run changes nothing
		HttpResponse<String> refused = admin.post("/v1/ops/restart_ray_head", "application/json", "{}");
		assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
		assertThat(refused.body()).contains(job);
		HttpResponse<String> dry = admin.post("/v1/ops/restart_ray_head", "application/json", "{\"dry_run\":true}");
		assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
		assertThat(dry.body()).contains("\"job_id\":\"" + job + "\"")
			.contains("\"action\":\"end\"")
			.contains("\"node_id\":\"ops-w2\"");
		assertThat(alice.job(job).get("status").asString()).isEqualTo("RUNNING");

		// 3. forced: the node-agent restarts the head, then re-provisions the worker
		HttpResponse<String> forced = admin.post("/v1/ops/restart_ray_head", "application/json", "{\"force\":true}");
		assertThat(forced.statusCode()).as(forced.body()).isEqualTo(202);
		String operation = Json.mapper().readTree(forced.body()).get("operation_id").asString();
		JsonNode outcome = await("operation " + operation).atMost(WAIT)
			.pollInterval(Duration.ofMillis(500))
			.until(() -> Json.mapper().readTree(admin.get("/v1/ops/operations/" + operation).body()),
					(o) -> !"running".equals(o.path("status").asString()));
		assertThat(outcome.get("status").asString()).as(outcome.toString()).isEqualTo("succeeded");
		assertThat(outcome.get("workers").toString()).contains("\"node_id\":\"ops-w2\"").contains("\"started\":true");
		assertThat(Files.readAllLines(headCalls)).filteredOn((l) -> l.startsWith("start --head"))
			.hasSize(2)
			.allSatisfy((l) -> assertThat(l).contains("--node-ip-address=" + head.ip()).contains("--num-gpus=0"));
		JsonNode stopped = alice.awaitStatus(job, WAIT, "STOPPED");
		assertThat(stopped.get("reason").asString()).contains("the Ray head restarts").contains(operation);
		awaitState("ops-w2", "ONLINE");
		assertThat(worker2.rayRunning()).isTrue();
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(KafkaProbe.readAll(stack.bootstrapServers(), Topics.AUDIT.name())
				.stream()
				.map(String::new)
				.filter((a) -> a.contains("\"restart_ray_head\""))
				.toList()).anySatisfy((a) -> assertThat(a).contains("refused"))
				.anySatisfy((a) -> assertThat(a).contains("dry_run"))
				.anySatisfy((a) -> assertThat(a).contains("accepted " + operation)));
	}

}
