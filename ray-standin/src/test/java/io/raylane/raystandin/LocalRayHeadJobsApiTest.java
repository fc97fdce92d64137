package io.raylane.raystandin;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.raylane.rayclient.wire.RayJobDetails;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Jobs API of the local head over real HTTP, field for field as
 * docs/reference/ray-http.md §2-§6 describe it.
 */
class LocalRayHeadJobsApiTest {

	static final Map<String, Double> POOL = Map.of("raylane-pool-default", 1.0);

	static final List<String> WORKER_IPS = List.of("127.0.0.2", "127.0.0.3");

	@TempDir
	static Path stateDir;

	static LocalRayHead head;

	static RayHttp ray;

	@BeforeAll
	static void startHead() {
		head = LocalRayHead.start(LocalRayHeadConfig.defaults(stateDir).withPort(0));
		ray = new RayHttp(head.address());
	}

	@AfterAll
	static void stopHead() {
		head.close();
	}

	@Test
	void shouldAnswerVersionAndGcsHealth() {
		var version = RayHttp.json(ray.get("/api/version"));
		assertThat(version.get("version").asString()).isEqualTo("4");
		assertThat(version.get("ray_version").asString()).isEqualTo("2.60.0-raylane-local");
		assertThat(version.get("ray_commit").isString()).isTrue();
		assertThat(version.get("session_name").asString()).startsWith("session_");

		HttpResponse<String> health = ray.get("/api/gcs_healthz");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).isEqualTo("success");
		assertThat(health.headers().firstValue("Content-Type")).contains("application/text; charset=utf-8");
		assertThat(head.address()).isEqualTo("http://127.0.0.1:" + head.port());
	}

	@Test
	void shouldRunAPoolJobOnAWorkerAndKeepItsOutput() {
		String id = ray.submit("echo hello from raylane", POOL);

		RayJobDetails job = ray.awaitStatus(id, "SUCCEEDED", "FAILED");

		assertThat(job.status()).isEqualTo("SUCCEEDED");
		assertThat(job.message()).isEqualTo("Job finished successfully.");
		assertThat(job.driverExitCode()).isZero();
		assertThat(job.endTime()).isGreaterThanOrEqualTo(job.startTime());
		assertThat(job.driverAgentHttpAddress())
			.isIn(WORKER_IPS.stream().map((ip) -> "http://" + ip + ":52365").toList());
		assertThat(job.driverNodeId()).isIn(head.aliveWorkers());
		assertThat(job.jobId()).as("a command entrypoint never calls ray.init").isNull();
		assertThat(job.driverInfo()).isNull();
		assertThat(ray.logs(id)).startsWith("Running entrypoint for job " + id + ": echo hello from raylane\n")
			.contains("hello from raylane\n");
	}

	@Test
	void shouldRunAJobWithoutResourcesOnTheHead() {
		String id = ray.submit("echo on the head", Map.of());

		RayJobDetails job = ray.awaitStatus(id, "SUCCEEDED", "FAILED");

		assertThat(job.status()).isEqualTo("SUCCEEDED");
		assertThat(job.driverAgentHttpAddress()).isEqualTo("http://127.0.0.1:52365");
		assertThat(job.driverNodeId()).isEqualTo(head.headNodeId());
	}

	@Test
	void shouldWriteEveryJobDetailsKeyWithNullsAndNoDriverInfo() {
		String pending = ray.submit("echo never", Map.of("nobody-has-this", 1.0));
		var details = RayHttp.json(ray.get("/api/jobs/" + pending));

		assertThat(details.propertyNames()).containsExactly("type", "job_id", "submission_id", "driver_info", "status",
				"entrypoint", "message", "error_type", "start_time", "end_time", "metadata", "runtime_env",
				"driver_agent_http_address", "driver_node_id", "driver_exit_code");
		assertThat(details.get("type").asString()).isEqualTo("SUBMISSION");
		assertThat(details.get("status").asString()).isEqualTo("PENDING");
		assertThat(details.get("driver_info").isNull()).isTrue();
		assertThat(details.get("driver_node_id").isNull()).isTrue();
		assertThat(details.get("start_time").isIntegralNumber()).isTrue();

		String running = ray.submit("sleep 600", POOL);
		ray.awaitStatus(running, "RUNNING");
		var runningDetails = RayHttp.json(ray.get("/api/jobs/" + running));
		assertThat(runningDetails.get("driver_info").isNull()).as("null for ever for a command entrypoint").isTrue();
		assertThat(runningDetails.get("job_id").isNull()).isTrue();
		assertThat(runningDetails.get("driver_node_id").isString()).isTrue();
		assertThat(ray.post("/api/jobs/" + running + "/stop", "").statusCode()).isEqualTo(200);
		ray.awaitStatus(running, "STOPPED");
		ray.post("/api/jobs/" + pending + "/stop", "");
	}

	@Test
	void shouldKeepAJobPendingWhileNoNodeHasItsResourceAndRunItWhenOneJoins() {
		String id = ray.submit("echo placed", Map.of("raylane-pool-late", 1.0));
		// a later job that can run finishes first: the monitor has placed jobs since, and
		// the first still waits
		ray.awaitStatus(ray.submit("true", POOL), "SUCCEEDED");

		RayJobDetails waiting = ray.job(id);
		assertThat(waiting.status()).isEqualTo("PENDING");
		assertThat(waiting.message()).isEqualTo("Job has not started yet. It may be waiting for resources (CPUs, GPUs,"
				+ " memory, custom resources) to become available.");
		assertThat(ray.logs(id)).isEmpty();

		String nodeId = head.join(WorkerSpec.ofPool("127.0.0.50", "late", 2));
		RayJobDetails placed = ray.awaitStatus(id, "SUCCEEDED", "FAILED");
		assertThat(placed.status()).isEqualTo("SUCCEEDED");
		assertThat(placed.driverNodeId()).isEqualTo(nodeId);
		assertThat(placed.driverAgentHttpAddress()).isEqualTo("http://127.0.0.50:52365");
		head.leave(nodeId);
	}

	@Test
	void shouldStopARunningJobAndItsWholeProcessGroup() {
		String id = ray.submit("sleep 600", POOL);
		RayJobDetails running = ray.awaitStatus(id, "RUNNING");
		List<ProcessHandle> tree = await().atMost(Duration.ofSeconds(10))
			.until(() -> RayHttp.processTree(head, id),
					(t) -> t.stream().anyMatch((p) -> p.info().command().orElse("").endsWith("sleep")));

		var answer = RayHttp.json(ray.post("/api/jobs/" + id + "/stop", ""));
		assertThat(answer.get("stopped").asBoolean()).isTrue();

		RayJobDetails stopped = ray.awaitStatus(id, "STOPPED", "FAILED", "SUCCEEDED");
		assertThat(stopped.status()).isEqualTo("STOPPED");
		assertThat(stopped.message()).isEqualTo("Job was intentionally stopped.");
		assertThat(stopped.endTime()).isNotNull();
		assertThat(tree).noneMatch(RayHttp::running);
		assertThat(RayHttp.json(ray.post("/api/jobs/" + id + "/stop", "")).get("stopped").asBoolean()).isFalse();
	}

	@Test
	void shouldFailANonZeroExitWithTheLogTail() {
		String id = ray.submit("echo boom; exit 7", POOL);

		RayJobDetails job = ray.awaitStatus(id, "SUCCEEDED", "FAILED");

		assertThat(job.status()).isEqualTo("FAILED");
		assertThat(job.errorType()).isEqualTo("JOB_ENTRYPOINT_COMMAND_ERROR");
		assertThat(job.driverExitCode()).isEqualTo(7);
		assertThat(job.endTime()).isNotNull();
		assertThat(job.message()).isEqualTo(
				"Job entrypoint command failed with exit code 7, last available logs (truncated to 20,000 chars):"
						+ "\nRunning entrypoint for job " + id + ": echo boom; exit 7\nboom\n");
	}

	@Test
	void shouldApplyRuntimeEnvVarsWithExpansion() {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("entrypoint", "echo \"G=$GREETING P=$PATH A=$RAY_ADDRESS U=$PYTHONUNBUFFERED\"");
		body.put("entrypoint_resources", POOL);
		body.put("runtime_env", Map.of("env_vars",
				Map.of("GREETING", "hi${RAYLANE_NOT_SET_ANYWHERE}!", "PATH", "/opt/raylane/bin:${PATH}")));
		body.put("metadata", Map.of("raylane_user", "ana"));
		String id = ray.submit(body);

		RayJobDetails job = ray.awaitStatus(id, "SUCCEEDED", "FAILED");

		assertThat(job.status()).isEqualTo("SUCCEEDED");
		assertThat(job.metadata()).isEqualTo(Map.of("raylane_user", "ana"));
		assertThat(job.runtimeEnv()).containsKey("env_vars");
		assertThat(ray.logs(id))
			.contains("G=hi! P=/opt/raylane/bin:" + System.getenv("PATH") + " A=" + head.address() + " U=1");
	}

	@Test
	void shouldAnswerADuplicateSubmissionIdWith500() {
		ray.submit(Map.of("entrypoint", "true", "submission_id", "dup-1"));

		HttpResponse<String> again = ray.post("/api/jobs/", "{\"entrypoint\": \"true\", \"submission_id\": \"dup-1\"}");

		assertThat(again.statusCode()).isEqualTo(500);
		assertThat(again.headers().firstValue("Content-Type"))
			.hasValueSatisfying((t) -> assertThat(t).startsWith("text/plain"));
		assertThat(again.body())
			.contains("Job with submission_id dup-1 already exists. Please use a different submission_id.");
	}

	@Test
	void shouldGenerateASubmissionIdWhenNoneIsGiven() {
		String id = ray.submit(Map.of("entrypoint", "true"));

		assertThat(id).matches("raysubmit_[A-Za-z1-9]{16}");
		assertThat(ray.job(id).submissionId()).isEqualTo(id);
	}

	@Test
	void shouldRejectBadBodiesWith400PlainText() {
		Map<String, String> bodies = Map.of("{\"entrypoint\": \"x\", \"colour\": \"red\"}",
				"unexpected keyword argument 'colour'", "{\"entrypoint\": 1}", "entrypoint must be a string",
				"{\"entrypoint\": \"x\", \"runtime_env\": \"env\"}", "runtime_env must be a dict",
				"{\"entrypoint\": \"x\", \"metadata\": {\"a\": 1}}", "metadata values must be strings",
				"{\"entrypoint\": \"x\", \"entrypoint_resources\": {\"GPU\": \"many\"}}", "must be numbers",
				"{\"entrypoint\": \"x\", \"entrypoint_memory\": 1.5}", "entrypoint_memory must be an integer",
				"{\"runtime_env\": {}}", "missing 1 required positional argument: 'entrypoint'");
		bodies.forEach((body, fragment) -> {
			HttpResponse<String> response = ray.post("/api/jobs/", body);
			assertThat(response.statusCode()).as(body).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValueSatisfying((t) -> assertThat(t).startsWith("text/plain"));
			assertThat(response.body()).as(body).contains(fragment);
		});
		assertThat(ray.post("/api/jobs/", "{\"entrypoint\": \"true\", \"submission_id\": null, \"metadata\": null}")
			.statusCode()).isEqualTo(200);
	}

	@Test
	void shouldRefuseBrowserTrafficOnWrites() {
		String browser = "Mozilla/5.0 (X11; Linux x86_64)";

		for (HttpResponse<String> response : List.of(ray.post("/api/jobs/", "{\"entrypoint\": \"true\"}", browser),
				ray.post("/api/jobs/any/stop", "", browser))) {
			assertThat(response.statusCode()).isEqualTo(405);
			assertThat(response.body()).isEqualTo("'POST' method not allowed for browser traffic.");
		}
		assertThat(ray.delete("/api/jobs/any", browser).body())
			.isEqualTo("'DELETE' method not allowed for browser traffic.");
	}

	@Test
	void shouldDeleteOnlyTerminalJobs() {
		String running = ray.submit("sleep 600", POOL);
		ray.awaitStatus(running, "RUNNING");

		HttpResponse<String> refused = ray.delete("/api/jobs/" + running, null);
		assertThat(refused.statusCode()).isEqualTo(500);
		assertThat(refused.body()).contains("non-terminal state RUNNING");

		ray.post("/api/jobs/" + running + "/stop", "");
		ray.awaitStatus(running, "STOPPED");
		assertThat(RayHttp.json(ray.delete("/api/jobs/" + running, null)).get("deleted").asBoolean()).isTrue();
		assertThat(ray.get("/api/jobs/" + running).statusCode()).isEqualTo(404);
	}

	@Test
	void shouldAnswer404ForUnknownJobs() {
		for (HttpResponse<String> response : List.of(ray.get("/api/jobs/nope"), ray.get("/api/jobs/nope/logs"),
				ray.post("/api/jobs/nope/stop", ""), ray.delete("/api/jobs/nope", null))) {
			assertThat(response.statusCode()).isEqualTo(404);
			assertThat(response.body()).isEqualTo("Job nope does not exist");
		}
	}

	@Test
	void shouldListJobsAsAnArray() {
		String id = ray.submit(Map.of("entrypoint", "true", "submission_id", "listed-1"));

		var list = RayHttp.json(ray.get("/api/jobs/"));

		assertThat(list.isArray()).isTrue();
		assertThat(list.values()).anySatisfy((job) -> {
			assertThat(job.get("submission_id").asString()).isEqualTo(id);
			assertThat(job.propertyNames()).hasSize(15);
		});
	}

}
