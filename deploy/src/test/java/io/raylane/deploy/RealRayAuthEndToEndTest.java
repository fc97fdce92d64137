package io.raylane.deploy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import io.raylane.topics.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Raylane against a real Ray 2.60 cluster started with token authentication
 * ({@code RAY_AUTH_MODE=token} on every node): Ray refuses calls without the token, and
 * every call Raylane makes carries it (submit, status, logs, nodes); a W&amp;B job's key
 * reaches its driver and, through the netrc file, a Ray task on a worker, while Ray's job
 * list and job details never hold it. The cluster comes from ray-cluster/cluster.sh
 * ({@link TokenRayClusterScript}); without the Ray venv the test is skipped with the
 * reason.
 */
@Tag("slow")
@ExtendWith(OutputCaptureExtension.class)
class RealRayAuthEndToEndTest {

	static final Duration JOB_TIMEOUT = Duration.ofSeconds(180);

	@TempDir
	static Path root;

	static TokenRayClusterScript cluster;

	static LocalStack stack;

	static RaylaneClient alice;

	static RaylaneClient admin;

	static RaylaneClient ray;

	static WandbProbe probe;

	static String rayToken;

	@BeforeAll
	static void start() throws Exception {
		String unavailable = TokenRayClusterScript.unavailable();
		Assumptions.assumeTrue(unavailable == null, () -> "no real Ray cluster here: " + unavailable);
		cluster = TokenRayClusterScript.start(1);
		rayToken = cluster.token();
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
	static void stop() throws IOException {
		// the stack first: its observer polls the head until it is closed
		if (stack != null) {
			stack.close();
		}
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
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
			.untilAsserted(() -> assertThat(logs(id)).contains("hello from a token cluster on raylane-w1"));
		// nodes (the observer's /api/v0/nodes, as the scheduler's node views)
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(
					() -> assertThat(admin.get("/v1/nodes").body()).contains(cluster.get("CLUSTER_WORKER_1_IP")));
		// every service's log, from the stack's start on
		assertThat(output.getAll()).contains("submitted " + id + " to Ray").doesNotContain(rayToken);
	}

	@Test
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
				assertThat(Files.readString(file)).as(file.toString()).doesNotContain(probe.key);
			}
		}
		assertThat(output.getAll()).contains("submitted " + id + " to Ray").doesNotContain(probe.key, rayToken);
	}

	static String logs(String id) {
		return Json.mapper().readTree(alice.get("/v1/jobs/" + id + "/logs").body()).get("logs").asString();
	}

}
