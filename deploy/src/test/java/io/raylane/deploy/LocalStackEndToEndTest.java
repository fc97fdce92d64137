package io.raylane.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.raylane.topics.json.Json;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The walking skeleton end to end, on the real parts: the all-in-one stack in this JVM
 * (embedded KRaft broker, every service, the local Ray-compatible head with two 4-GPU
 * workers of pool default), driven through the REST API as a user would.
 */
@Tag("slow")
class LocalStackEndToEndTest {

	static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

	/**
	 * The scheduler's internal topic for inputs written outside their pool's partition.
	 */
	static final String BY_POOL_REPARTITION = "raylane-scheduler-by-pool-repartition";

	@TempDir
	static Path root;

	@AutoClose
	static LocalStack stack;

	static RaylaneClient alice;

	static RaylaneClient bob;

	static RaylaneClient anonymous;

	@BeforeAll
	static void startStack() throws Exception {
		stack = LocalStack.start(LocalStackSettings.forTest(root));
		Map<String, String> tokens = RaylaneClient.devTokens(stack.settings().dataDir());
		alice = new RaylaneClient(stack.apiUrl(), tokens.get("alice"));
		bob = alice.as(tokens.get("bob"));
		anonymous = alice.as(null);
		await().atMost(Duration.ofSeconds(60)).until(() -> anonymous.get("/actuator/health").statusCode() == 200);
	}

	@Test
	void shouldRunHelloOnAWorkerAndKeepItsConfigAndLog() throws Exception {
		long rerouted = KafkaProbe.endOffsetSum(stack.bootstrapServers(), BY_POOL_REPARTITION);
		String id = alice.submitYaml("""
				name: hello
				workload: command
				command: echo hello from raylane
				pool: default
				resources: {nnodes: 1, n_gpus_per_node: 0}
				timeout: 10m
				env: {GREETING: hi}
				""");

		JsonNode job = alice.awaitStatus(id, JOB_TIMEOUT, "SUCCEEDED", "FAILED", "STOPPED", "REJECTED");

		assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
		assertThat(job.get("exit_code").asInt()).isZero();
		String driverIp = job.get("driver_node_ip").asString();
		assertThat(workerIps()).contains(driverIp);
		assertThat(driverIp).isNotEqualTo(headIp());
		Path jobDir = Path.of(job.get("job_dir").asString());
		assertThat(jobDir).isEqualTo(stack.settings().sharedRoot().resolve("jobs").resolve(id));
		assertThat(jobDir.resolve("config/jobspec.yaml")).content().contains("echo hello from raylane");
		assertThat(jobDir.resolve("config/runtime_env.json")).content().contains("GREETING");
		assertThat(jobDir.resolve("config/submit_cmd.txt")).content()
			.startsWith("ray job submit")
			.contains("--submission-id='" + id + "'");
		assertThat(jobDir.resolve("checkpoints")).isDirectory();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(
					() -> assertThat(jobDir.resolve("logs/driver.log")).content().contains("hello from raylane"));
		HttpResponse<String> logs = alice.get("/v1/jobs/" + id + "/logs");
		assertThat(logs.statusCode()).isEqualTo(200);
		assertThat(Json.mapper().readTree(logs.body()).get("logs").asString()).contains("hello from raylane");
		// issue 17: every writer put the job's records (its command, the submitter's
		// result, the observer's readings) and the nodes' in the partition that owns
		// pool default, so none crossed the scheduler's by-pool repartition
		assertThat(KafkaProbe.endOffsetSum(stack.bootstrapServers(), BY_POOL_REPARTITION)).isEqualTo(rerouted);
	}

	@Test
	void shouldStopARunningJobWithinTenSeconds() {
		String id = alice.submitCommand("sleeper", "sleep 600", 1, 0);
		alice.awaitStatus(id, JOB_TIMEOUT, "RUNNING");

		Instant asked = Instant.now();
		HttpResponse<String> stop = alice.post("/v1/jobs/" + id + ":stop", null, "");
		assertThat(stop.statusCode()).as(stop.body()).isEqualTo(202);
		JsonNode job = alice.awaitStatus(id, Duration.ofSeconds(10), "STOPPED");

		assertThat(Duration.between(asked, Instant.now())).isLessThan(Duration.ofSeconds(10));
		assertThat(job.get("status").asString()).isEqualTo("STOPPED");
		// STOPPED with Ray's own stop message: the status came from Ray's record, not
		// from Raylane's bookkeeping
		assertThat(job.get("message").asString()).isEqualTo("Job was intentionally stopped.");
		// Ray itself received the stop: its own record of the job says STOPPED, unless
		// the submitter already
		// archived the log and deleted the job from Ray (which Ray allows only for a
		// terminal job)
		HttpResponse<String> ray = new RaylaneClient(stack.rayAddress(), null).get("/api/jobs/" + id);
		if (ray.statusCode() == 404) {
			assertThat(Path.of(job.get("job_dir").asString()).resolve("logs/driver.log")).exists();
		}
		else {
			assertThat(rayJob(id).get("status").asString()).isEqualTo("STOPPED");
		}
		HttpResponse<String> again = alice.post("/v1/jobs/" + id + ":stop", null, "");
		assertThat(again.statusCode()).isEqualTo(200);
		assertThat(again.body()).contains("already ended");
	}

	@Test
	void shouldGiveIdenticalSubmissionsTheirOwnJobsAndDirectories() {
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 3; i++) {
			ids.add(alice.submitCommand("same", "echo same", 1, 0));
		}
		assertThat(ids).hasSize(3);
		for (String id : ids) {
			JsonNode job = alice.awaitStatus(id, JOB_TIMEOUT, "SUCCEEDED");
			assertThat(Path.of(job.get("job_dir").asString()).resolve("config/jobspec.yaml")).exists();
		}
		assertThat(ids.stream().map((id) -> stack.settings().sharedRoot().resolve("jobs").resolve(id)))
			.allSatisfy((dir) -> assertThat(dir).isDirectory());
	}

	@Test
	void shouldAdmitGangsAllOrNothingAndRejectWhatThePoolCanNeverHold() {
		String first = alice.submitCommand("one-by-four", "sleep 5", 1, 4);
		alice.awaitStatus(first, JOB_TIMEOUT, "RUNNING");
		String pair = alice.submitCommand("two-by-four", "sleep 6", 2, 4);
		String triple = alice.submitCommand("three-by-four", "echo never", 3, 4);

		JsonNode waiting = alice.awaitStatus(pair, JOB_TIMEOUT, "QUEUED");
		assertThat(waiting.get("reason").asString()).isNotBlank();
		assertThat(alice.job(first).get("status").asString()).isEqualTo("RUNNING");
		JsonNode rejected = alice.awaitStatus(triple, JOB_TIMEOUT, "REJECTED");
		assertThat(rejected.get("reason").asString()).contains("2");

		JsonNode firstDone = alice.awaitStatus(first, JOB_TIMEOUT, "SUCCEEDED");
		// the pair runs 6 s, three observer polls: long enough to be seen RUNNING holding
		// its gang
		JsonNode pairRunning = alice.awaitStatus(pair, JOB_TIMEOUT, "RUNNING");
		assertThat(pairRunning.get("nodes")).as("a gang holds two distinct nodes").hasSize(2);
		assertThat(pairRunning.get("nodes").get(0)).isNotEqualTo(pairRunning.get("nodes").get(1));
		JsonNode pairDone = alice.awaitStatus(pair, JOB_TIMEOUT, "SUCCEEDED");
		Instant firstEnded = Instant.parse(firstDone.get("ended_at").asString());
		Instant pairDispatched = Instant.parse(pairDone.get("dispatched_at").asString());
		assertThat(pairDispatched).isAfterOrEqualTo(firstEnded);
		assertThat(pairDone.get("nodes")).as("GPUs released at the end").isEmpty();
	}

	@Test
	void shouldNotLetARayJobThatOnlyClaimsARaylaneJobEndItOrFreeItsGpus() {
		// issue 12: anyone who reaches Ray's dashboard may submit a job carrying
		// raylane_job_id=<someone else's job>; before, its failure ended that job FAILED
		String id = bob.submitCommand("victim", "sleep 600", 1, 1);
		JsonNode running = bob.awaitStatus(id, JOB_TIMEOUT, "RUNNING");
		// under its own submission id, and under an id Raylane never dispatched
		for (String[] claim : List.of(new String[] { "impostor-" + id, id },
				new String[] { "rl-never-dispatched", "rl-never-dispatched" })) {
			String metadata = Json.writeString(Map.of("raylane_job_id", claim[1], "raylane_user", "bob", "raylane_pool",
					"default", "raylane_gpus", "1"));
			HttpResponse<String> submitted = new RaylaneClient(stack.rayAddress(), null).post("/api/jobs/",
					"application/json", "{\"entrypoint\": \"exit 1\", \"submission_id\": \"" + claim[0]
							+ "\", \"metadata\": " + metadata + "}");
			assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
			await().atMost(JOB_TIMEOUT).until(() -> "FAILED".equals(rayJob(claim[0]).path("status").asString()));
		}

		// a job submitted after both failed ends only after the observer saw them failed
		String later = alice.submitCommand("later", "echo later", 1, 0);
		alice.awaitStatus(later, JOB_TIMEOUT, "SUCCEEDED");

		JsonNode after = bob.job(id);
		assertThat(after.get("status").asString()).isEqualTo("RUNNING");
		assertThat(after.get("nodes")).isEqualTo(running.get("nodes")).isNotEmpty();
		assertThat(new RaylaneClient("http://127.0.0.1:" + stack.servicePorts().get(LocalStack.OBSERVER), null)
			.get("/actuator/prometheus")
			.body()).contains("raylane_observer_ray_jobs_ignored_total{reason=\"submission_id_mismatch\"} 1.0")
			.contains("raylane_observer_ray_jobs_ignored_total{reason=\"not_dispatched\"} 1.0");
		assertThat(bob.post("/v1/jobs/" + id + ":stop", null, "").statusCode()).isEqualTo(202);
		bob.awaitStatus(id, JOB_TIMEOUT, "STOPPED");
	}

	@Test
	void shouldRefuseBadInputClearlyAndWriteNothing() throws Exception {
		String own = alice.submitCommand("mine", "echo mine", 1, 0);
		alice.awaitStatus(own, JOB_TIMEOUT, "SUCCEEDED");
		long commandsBefore = KafkaProbe.endOffsetSum(stack.bootstrapServers(), "raylane.job-commands");
		Set<Path> dirsBefore = jobDirs();

		assertBadRequest(alice.post("/v1/jobs", "application/yaml", "name: [unclosed\nworkload: command"), null);
		assertBadRequest(alice.post("/v1/jobs", "application/json", "{\"workload\": \"command\", "), null);
		assertBadRequest(alice.post("/v1/jobs", "application/yaml", "workload: dance\ncommand: x"), "workload");
		assertBadRequest(alice.post("/v1/jobs", "application/yaml", "workload: command"), "command");
		assertBadRequest(
				alice.post("/v1/jobs", "application/yaml",
						"workload: command\ncommand: x\nresources: {nnodes: 1, n_gpus_per_node: -1}"),
				"resources.n_gpus_per_node");
		assertThat(anonymous.post("/v1/jobs", "application/yaml", "workload: command\ncommand: x").statusCode())
			.isEqualTo(401);
		assertThat(alice.as("not-a-token").get("/v1/jobs").statusCode()).isEqualTo(401);
		assertThat(bob.get("/v1/jobs/" + own).statusCode()).isEqualTo(404);
		assertThat(bob.post("/v1/jobs/" + own + ":stop", null, "").statusCode()).isEqualTo(404);
		assertThat(alice.get("/v1/jobs/rl-doesnotexist").statusCode()).isEqualTo(404);

		assertThat(KafkaProbe.endOffsetSum(stack.bootstrapServers(), "raylane.job-commands")).isEqualTo(commandsBefore);
		assertThat(jobDirs()).isEqualTo(dirsBefore);
	}

	@Test
	void shouldDeadLetterAGarbageCommandAndKeepScheduling() throws Exception {
		KafkaProbe.produce(stack.bootstrapServers(), "raylane.job-commands", "garbage-key",
				"{this is not a command".getBytes());

		await().atMost(Duration.ofSeconds(30))
			.until(() -> KafkaProbe.readAll(stack.bootstrapServers(), "raylane.dead-letters")
				.stream()
				.map((value) -> Json.mapper().readTree(value))
				.anyMatch((letter) -> "raylane.job-commands".equals(letter.path("topic").asString())
						&& "garbage-key".equals(letter.path("key").asString())
						&& !letter.path("reason").asString().isBlank()));
		String id = alice.submitCommand("after-garbage", "echo still scheduling", 1, 0);
		assertThat(alice.awaitStatus(id, JOB_TIMEOUT, "SUCCEEDED", "FAILED").get("status").asString())
			.isEqualTo("SUCCEEDED");
	}

	@Test
	void shouldServePrometheusMetricsOnEveryServiceAndTheApisOnlyWithAToken() {
		Map<String, Integer> ports = stack.servicePorts();

		assertThat(ports.keySet()).containsExactlyElementsOf(LocalStack.SERVICES);
		assertThat(new HashSet<>(ports.values())).as("one port each").hasSize(ports.size());
		ports.forEach((service, port) -> {
			RaylaneClient actuator = new RaylaneClient("http://127.0.0.1:" + port, null);
			if (LocalStack.API.equals(service)) {
				assertThat(actuator.get("/actuator/prometheus").statusCode()).isEqualTo(401);
				actuator = actuator.as(devToken("alice"));
			}
			HttpResponse<String> metrics = actuator.get("/actuator/prometheus");
			assertThat(metrics.statusCode()).as(service).isEqualTo(200);
			assertThat(metrics.body()).as(service).contains("jvm_memory_used_bytes");
			assertThat(actuator.get("/actuator/health").statusCode()).as(service).isEqualTo(200);
			if (!LocalStack.API.equals(service)) {
				// the API's OpenAPI document and web console are the API's alone, as with
				// the services' own jars
				assertThat(actuator.get("/v3/api-docs").statusCode()).as(service).isEqualTo(404);
				assertThat(actuator.get("/").statusCode()).as(service).isEqualTo(404);
				assertThat(actuator.get("/console/console.js").statusCode()).as(service).isEqualTo(404);
			}
		});
		HttpResponse<String> ray = new RaylaneClient("http://127.0.0.2:" + stack.rayMetricsPort(), null)
			.get("/metrics");
		assertThat(ray.statusCode()).isEqualTo(200);
		assertThat(ray.body()).contains("ray_node_gpus_utilization{").contains("ip=\"127.0.0.2\"");
	}

	@Test
	void shouldRestartTheObserverOnItsPortAndKeepFollowingJobs() {
		int port = stack.servicePorts().get(LocalStack.OBSERVER);

		stack.restart(LocalStack.OBSERVER);

		assertThat(stack.servicePorts().get(LocalStack.OBSERVER)).isEqualTo(port);
		assertThat(new RaylaneClient("http://127.0.0.1:" + port, null).get("/actuator/prometheus").statusCode())
			.isEqualTo(200);
		String id = alice.submitCommand("after-restart", "echo observed", 1, 0);
		assertThat(alice.awaitStatus(id, JOB_TIMEOUT, "SUCCEEDED", "FAILED").get("status").asString())
			.isEqualTo("SUCCEEDED");
		assertThatThrownBy(() -> stack.restart("no-such-service")).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("observer");
	}

	private static String devToken(String user) {
		try {
			return RaylaneClient.devTokens(stack.settings().dataDir()).get(user);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void assertBadRequest(HttpResponse<String> response, String field) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		JsonNode error = Json.mapper().readTree(response.body());
		assertThat(error.get("error").asString()).isNotBlank();
		assertThat(error.get("detail").asString()).isNotBlank();
		if (field != null) {
			assertThat(error.get("field").asString()).isEqualTo(field);
		}
	}

	private static Set<Path> jobDirs() throws Exception {
		Path jobs = stack.settings().sharedRoot().resolve("jobs");
		if (!Files.isDirectory(jobs)) {
			return Set.of();
		}
		try (Stream<Path> dirs = Files.list(jobs)) {
			return new HashSet<>(dirs.toList());
		}
	}

	private static JsonNode rayJob(String id) {
		return Json.mapper().readTree(new RaylaneClient(stack.rayAddress(), null).get("/api/jobs/" + id).body());
	}

	private static List<String> workerIps() {
		JsonNode nodes = Json.mapper()
			.readTree(new RaylaneClient(stack.rayAddress(), null).get("/api/v0/nodes?limit=100").body());
		return nodes.path("data")
			.path("result")
			.path("result")
			.valueStream()
			.filter((node) -> !node.get("is_head_node").asBoolean())
			.map((node) -> node.get("node_ip").asString())
			.toList();
	}

	private static String headIp() {
		JsonNode nodes = Json.mapper()
			.readTree(new RaylaneClient(stack.rayAddress(), null).get("/api/v0/nodes?limit=100").body());
		return nodes.path("data")
			.path("result")
			.path("result")
			.valueStream()
			.filter((node) -> node.get("is_head_node").asBoolean())
			.map((node) -> node.get("node_ip").asString())
			.findFirst()
			.orElseThrow();
	}

}
