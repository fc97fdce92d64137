package io.raylane.deploy;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import io.raylane.deploy.broker.BrokerSpec;
import io.raylane.deploy.broker.EmbeddedKafkaBroker;
import io.raylane.deploy.fleet.SshWorker;
import io.raylane.nodeagent.ssh.TestKeys;
import io.raylane.raystandin.LocalRayHead;
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
 * Walks the troubleshooting SOPs of docs/sop/troubleshooting.md that act through the API,
 * on one local stack (two simulated workers of 4 GPUs in pool {@code default}) and two
 * SSH workers: each test performs a SOP's steps with the API calls the SOP shows (as the
 * SOP's curl would) and asserts the outputs the SOP quotes. The job commands that fail
 * are fixtures printing the lines PyTorch prints for a GPU OOM and an NCCL failure. The
 * broker is the test's own (the stack is given its address), so that the Kafka SOP can
 * stop it and start it again: that test runs last. The disk-full SOP walks
 * docs/sop/cleanup.md's steps too.
 */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TroubleshootingSopWalkThroughTest {

	static final Duration WAIT = Duration.ofSeconds(60);

	@TempDir
	static Path root;

	static SshWorker edge;

	static SshWorker noRay;

	static BrokerSpec brokerSpec;

	static EmbeddedKafkaBroker broker;

	static LocalStack stack;

	static RaylaneClient admin;

	static RaylaneClient alice;

	@BeforeAll
	static void startStack() throws Exception {
		Path key = TestKeys.generate(root.resolve("id_ed25519"), "ed25519");
		Path bin = root.resolve("bin");
		RayStandIn.install(bin);
		Path knownHosts = root.resolve("known_hosts");
		edge = SshWorker.start("127.0.0.33", root, TestKeys.publicKey(key), bin);
		// a machine without Ray installed: `ray` is not on its PATH
		noRay = SshWorker.start("127.0.0.34", root, TestKeys.publicKey(key),
				Files.createDirectories(root.resolve("empty-bin")));
		edge.trustIn(knownHosts);
		noRay.trustIn(knownHosts);
		int port = EmbeddedKafkaBroker.freePort();
		int controllerPort = EmbeddedKafkaBroker.freePort();
		while (controllerPort == port) {
			controllerPort = EmbeddedKafkaBroker.freePort();
		}
		brokerSpec = BrokerSpec.single(port, controllerPort);
		broker = EmbeddedKafkaBroker.start(root.resolve("kafka"), brokerSpec, null);
		stack = LocalStack.start(LocalStackSettings.forTest(root).withKafkaBootstrap(broker.bootstrapServers()),
				Map.of("raylane.kafka.replication-factor", "1", "raylane.ssh.key", key.toString(),
						"raylane.ssh.known-hosts", knownHosts.toString(), "raylane.node-agent.retry.max-retries", "1",
						"raylane.node-agent.retry.delay", "100ms", "raylane.observer.poll-interval", "500ms",
						"raylane.scheduler.node-lost-after", "2s", "raylane.scheduler.node-reprovision-attempts", "0"));
		Map<String, String> tokens = RaylaneClient.devTokens(stack.settings().dataDir());
		admin = new RaylaneClient(stack.apiUrl(), tokens.get("admin"));
		alice = admin.as(tokens.get("alice"));
		admin.awaitHealthy();
	}

	@AfterAll
	static void stopStack() throws Exception {
		for (AutoCloseable closeable : new AutoCloseable[] { stack, broker, edge, noRay }) {
			if (closeable != null) {
				closeable.close();
			}
		}
	}

	/** SOP "A job stays QUEUED (PENDING)". */
	@Test
	void jobStuckPending() {
		String hold = alice.submitCommand("hold-all", "sleep 600", 2, 4);
		alice.awaitStatus(hold, WAIT, "RUNNING");
		String waits = alice.submitCommand("needs-4", "echo done", 1, 4);

		// step 1: the job's status and reason
		JsonNode job = await().atMost(WAIT)
			.until(() -> alice.job(waits), (j) -> "insufficient_nodes".equals(firstReasonCode(j)));
		show("GET /v1/jobs/" + waits, job);
		assertThat(job.path("status").asString()).isEqualTo("QUEUED");
		assertThat(job.path("reason").asString()).isEqualTo("needs 1 node with 4 GPUs free; has 0 of 1");
		// step 2: the pool's queue
		JsonNode queue = json(alice.get("/v1/queue?pool=default"));
		show("GET /v1/queue?pool=default", queue);
		JsonNode entry = queue.path("jobs").get(0);
		assertThat(entry.path("job_id").asString()).isEqualTo(waits);
		assertThat(entry.path("position").asInt()).isEqualTo(1);
		assertThat(entry.path("reasons").get(0).path("code").asString()).isEqualTo("insufficient_nodes");
		// step 3: who holds the GPUs (the admin's job list), then the holder stops its
		// job
		JsonNode running = json(admin.get("/v1/jobs?status=RUNNING"));
		show("GET /v1/jobs?status=RUNNING", running);
		assertThat(running.path("jobs").toString()).contains(hold);
		assertThat(alice.post("/v1/jobs/" + hold + ":stop", null, "").statusCode()).isEqualTo(202);

		assertThat(alice.awaitStatus(waits, WAIT, "SUCCEEDED", "FAILED").path("status").asString())
			.isEqualTo("SUCCEEDED");
	}

	/**
	 * SOP "The shared disk is full", steps 2 and 3, which are docs/sop/cleanup.md's steps
	 * 1–4: what uses the space, a dry run, the real run freeing exactly what the dry run
	 * said, a second run freeing nothing, a user refused, every call audited. The job's
	 * checkpoints are written by the test as a training job would write them.
	 */
	@Test
	void sharedDiskFull() throws Exception {
		String id = alice.submitCommand("trained", "echo trained", 1, 1);
		alice.awaitStatus(id, WAIT, "SUCCEEDED");
		Path dir = stack.settings().sharedRoot().resolve("jobs").resolve(id);
		for (int step = 1; step <= 3; step++) {
			Path folder = Files.createDirectories(dir.resolve("checkpoints/global_step_" + step));
			Files.write(folder.resolve("model.bin"), new byte[1000]);
		}

		// cleanup.md step 1: what takes the space (an admin sees the user and the job)
		JsonNode storage = json(admin.get("/v1/storage"));
		show("GET /v1/storage", storage);
		assertThat(storage.path("file_system").path("size_bytes").asLong()).isPositive();
		assertThat(storage.path("users").toString()).contains("\"user\":\"alice\"");
		JsonNode jobRow = null;
		for (JsonNode row : storage.path("jobs")) {
			jobRow = id.equals(row.path("job_id").asString()) ? row : jobRow;
		}
		assertThat(jobRow).as(storage.toString()).isNotNull();
		assertThat(jobRow.path("bytes").asLong()).isGreaterThanOrEqualTo(3000);
		JsonNode own = json(alice.get("/v1/storage"));
		assertThat(own.path("users")).allSatisfy((u) -> assertThat(u.path("user").asString()).isEqualTo("alice"));

		// step 2: the dry run names what it would delete and deletes nothing
		String body = "{\"job_ids\":[\"" + id + "\"],\"dry_run\":true}";
		JsonNode dry = json(admin.post("/v1/ops/cleanup_job_artifacts", "application/json", body));
		show("POST /v1/ops/cleanup_job_artifacts (dry run)", dry);
		assertThat(dry.path("dry_run").asBoolean()).isTrue();
		assertThat(dry.path("bytes_freed").asLong()).isEqualTo(2000);
		assertThat(dry.path("jobs").get(0).path("deleted").toString()).contains("checkpoints/global_step_1")
			.contains("checkpoints/global_step_2")
			.doesNotContain("global_step_3");
		assertThat(dir.resolve("checkpoints/global_step_1")).isDirectory();
		assertThat(alice.post("/v1/ops/cleanup_job_artifacts", "application/json", body).statusCode()).isEqualTo(403);

		// step 3: the real run frees what the dry run said; again, nothing more
		JsonNode real = json(
				admin.post("/v1/ops/cleanup_job_artifacts", "application/json", "{\"job_ids\":[\"" + id + "\"]}"));
		show("POST /v1/ops/cleanup_job_artifacts", real);
		assertThat(real.path("bytes_freed").asLong()).isEqualTo(dry.path("bytes_freed").asLong());
		assertThat(real.path("jobs").get(0).path("deleted")).isEqualTo(dry.path("jobs").get(0).path("deleted"));
		assertThat(dir.resolve("checkpoints/global_step_1")).doesNotExist();
		assertThat(dir.resolve("checkpoints/global_step_2")).doesNotExist();
		assertThat(dir.resolve("checkpoints/global_step_3/model.bin")).isRegularFile();
		assertThat(
				json(admin.post("/v1/ops/cleanup_job_artifacts", "application/json", "{\"job_ids\":[\"" + id + "\"]}"))
					.path("bytes_freed")
					.asLong())
			.isZero();

		// step 4: every call on the audit topic
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(KafkaProbe.readAll(stack.bootstrapServers(), Topics.AUDIT.name())
				.stream()
				.map(String::new)
				.filter((a) -> a.contains("\"cleanup_job_artifacts\""))
				.toList()).anySatisfy((a) -> assertThat(a).contains("dry run: would free 2000 bytes of 1 jobs"))
				.anySatisfy((a) -> assertThat(a).contains("freed 2000 bytes of 1 jobs"))
				.anySatisfy((a) -> assertThat(a).contains("refused: 403")));
	}

	/** SOP "GPU out of memory". */
	@Test
	void gpuOutOfMemory() {
		String id = alice.submitCommand("oom",
				fixture("oom.sh", "Traceback (most recent call last):",
						"torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 20.00 GiB. GPU 0 has a total "
								+ "capacity of 79.11 GiB of which 3.19 GiB is free."),
				1, 1);

		JsonNode job = awaitFailure(id);
		show("GET /v1/jobs/" + id, job);

		assertThat(job.path("status").asString()).isEqualTo("FAILED");
		assertThat(job.path("failure").path("category").asString()).isEqualTo("oom_gpu");
		assertThat(job.path("failure").path("hint").asString()).startsWith("out of GPU memory; lower");
		assertThat(job.path("failure").path("evidence").get(0).asString())
			.startsWith("torch.OutOfMemoryError: CUDA out of memory.");
	}

	/** SOP "NCCL errors". */
	@Test
	void ncclError() {
		String id = alice.submitCommand("nccl", fixture("nccl.sh",
				"torch.distributed.DistBackendError: NCCL error in: ../torch/csrc/distributed/c10d/NCCLUtils.hpp:275, "
						+ "unhandled system error (run with NCCL_DEBUG=INFO for details), NCCL version 2.21.5"),
				1, 1);

		JsonNode job = awaitFailure(id);
		show("GET /v1/jobs/" + id, job);

		assertThat(job.path("failure").path("category").asString()).isEqualTo("nccl");
		assertThat(job.path("failure").path("hint").asString()).startsWith("a collective failed or timed out");
		assertThat(job.path("failure").path("evidence").get(0).asString())
			.startsWith("torch.distributed.DistBackendError: NCCL error in:");
	}

	/** SOP "A node is lost". */
	@Test
	void nodeLost() {
		register("edge-1", edge, "edge");
		awaitNode("edge-1", (n) -> "ONLINE".equals(n.path("state").asString()));
		// the node's raylet dies (Ray's health check gives up on it)
		assertThat(stack.localHead().leaveIp(edge.ip(), LocalRayHead.HEALTH_CHECK_DEATH)).isNotEmpty();

		JsonNode node = awaitNode("edge-1", (n) -> "FAILED".equals(n.path("state").asString()));
		show("GET /v1/nodes/edge-1", node);
		assertThat(node.path("reason").asString()).startsWith("lost: Ray reports the node dead since")
			.endsWith("re-provisioning is off; its jobs end as Ray reports them; fix it, then POST "
					+ "/v1/nodes/edge-1:undrain to retry");
		JsonNode list = json(admin.get("/v1/nodes?pool=edge"));
		show("GET /v1/nodes?pool=edge", list);
		assertThat(list.toString()).contains("\"state\":\"FAILED\"");

		// step 4: the machine is fine (its SSH server still runs): undrain brings it back
		HttpResponse<String> undrain = admin.post("/v1/nodes/edge-1:undrain", null, "");
		show("POST /v1/nodes/edge-1:undrain", json(undrain));
		assertThat(undrain.statusCode()).isEqualTo(202);
		JsonNode back = awaitNode("edge-1", (n) -> "ONLINE".equals(n.path("state").asString()));
		assertThat(back.path("reason").isNull()).as(back.toString()).isTrue();
	}

	/** SOP "Ray does not start on a node". */
	@Test
	void rayWontStartOnANode() {
		register("noray-1", noRay, "edge");

		JsonNode node = awaitNode("noray-1", (n) -> "FAILED".equals(n.path("state").asString()));
		show("GET /v1/nodes/noray-1", node);

		assertThat(node.path("reason").asString()).startsWith("provisioning failed")
			.contains("fix it, then POST /v1/nodes/noray-1:undrain to retry");
	}

	/** SOP "Kafka unavailable": the API's health while the broker is away, and after. */
	@Test
	@Order(Integer.MAX_VALUE)
	void kafkaUnavailable() {
		RaylaneClient anonymous = admin.as(null);
		HttpResponse<String> healthy = anonymous.get("/actuator/health");
		show("GET /actuator/health", json(healthy));
		assertThat(json(healthy).path("status").asString()).isEqualTo("UP");

		broker.close();
		HttpResponse<String> down = await("the API's health DOWN without the broker").atMost(WAIT)
			.pollInterval(Duration.ofMillis(500))
			.until(() -> anonymous.get("/actuator/health"), (r) -> r.statusCode() == 503);
		System.out.println("SOP GET /actuator/health (broker away) -> " + down.statusCode() + " " + down.body());
		assertThat(Json.mapper().readTree(down.body()).path("status").asString()).isEqualTo("DOWN");

		// step 3: the broker is back (same ports, same log): UP again, jobs go on
		broker = EmbeddedKafkaBroker.start(root.resolve("kafka"), brokerSpec, null);
		await("the API's health UP again").atMost(WAIT)
			.pollInterval(Duration.ofMillis(500))
			.until(() -> anonymous.get("/actuator/health").statusCode() == 200);
		String id = alice.submitCommand("after-kafka", "echo back", 1, 1);
		assertThat(alice.awaitStatus(id, WAIT, "SUCCEEDED", "FAILED").path("status").asString()).isEqualTo("SUCCEEDED");
	}

	/**
	 * A fixture script under the shared root that prints {@code lines} and exits 1 (in a
	 * file, so that the driver log's "Running entrypoint" line, which repeats the
	 * command, does not hold the phrases); the command that runs it.
	 */
	static String fixture(String name, String... lines) {
		try {
			Path script = Files.createDirectories(stack.settings().sharedRoot().resolve("fixtures")).resolve(name);
			StringBuilder text = new StringBuilder("#!/bin/sh\n");
			for (String line : lines) {
				text.append("echo '").append(line.replace("'", "'\\''")).append("'\n");
			}
			Files.writeString(script, text.append("exit 1\n"));
			return "sh " + script;
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	static void register(String id, SshWorker worker, String pool) {
		HttpResponse<String> response = admin.post("/v1/nodes", "application/json",
				"{\"node_id\":\"" + id + "\",\"host\":\"" + worker.ip() + "\",\"port\":" + worker.port()
						+ ",\"user\":\"" + System.getProperty("user.name") + "\",\"pool\":\"" + pool
						+ "\",\"gpus\":4}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
	}

	static JsonNode awaitNode(String id, Predicate<JsonNode> condition) {
		return await(id).atMost(WAIT)
			.pollInterval(Duration.ofMillis(250))
			.until(() -> json(admin.get("/v1/nodes/" + id)), condition::test);
	}

	static JsonNode awaitFailure(String id) {
		return await(id + " failed with a diagnosis").atMost(WAIT)
			.pollInterval(Duration.ofMillis(250))
			.until(() -> alice.job(id), (j) -> j.path("failure").has("category"));
	}

	static String firstReasonCode(JsonNode job) {
		JsonNode reasons = job.path("reasons");
		return (reasons.isArray() && !reasons.isEmpty()) ? reasons.get(0).path("code").asString() : null;
	}

	static JsonNode json(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isLessThan(300);
		return Json.mapper().readTree(response.body());
	}

	/** What the SOP quotes comes from these lines of the test's output. */
	static void show(String call, JsonNode answer) {
		System.out.println("SOP " + call + " -> " + answer);
	}

}
