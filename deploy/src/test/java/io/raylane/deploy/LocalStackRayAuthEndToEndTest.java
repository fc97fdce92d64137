package io.raylane.deploy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.raylane.topics.json.Json;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The all-in-one with Ray's token authentication on: the local head requires the token
 * (as Ray 2.60 with {@code RAY_AUTH_MODE=token}), every service sends it, and a W&amp;B
 * job's key reaches the job while the head's job list never shows it.
 */
@ExtendWith(OutputCaptureExtension.class)
class LocalStackRayAuthEndToEndTest {

	static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);

	static final String RAY_TOKEN = "local-ray-token-" + UUID.randomUUID();

	@TempDir
	static Path root;

	@AutoClose
	static LocalStack stack;

	static RaylaneClient alice;

	static RaylaneClient admin;

	static RaylaneClient ray;

	static WandbProbe probe;

	@BeforeAll
	static void startStack() throws Exception {
		stack = LocalStack.start(LocalStackSettings.forTest(root).withRayAuthToken(RAY_TOKEN));
		Map<String, String> tokens = RaylaneClient.devTokens(stack.settings().dataDir());
		alice = new RaylaneClient(stack.apiUrl(), tokens.get("alice"));
		admin = alice.as(tokens.get("admin"));
		ray = new RaylaneClient(stack.rayAddress(), RAY_TOKEN);
		probe = new WandbProbe(stack.settings().sharedRoot(), "alice").install(stack.settings().dataDir());
		alice.awaitHealthy();
	}

	@Test
	void shouldRefuseCallsWithoutTheTokenAndServeRaylanesOwn(CapturedOutput output) {
		HttpResponse<String> anonymous = ray.as(null).get("/api/jobs/");
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(anonymous.body()).isEqualTo("Unauthorized: Missing authentication token");
		assertThat(ray.as("wrong").get("/api/jobs/").statusCode()).isEqualTo(403);

		// submit (submitter), status (observer), logs (api, then the submitter's archive)
		String id = alice.submitCommand("authed", "echo hello through a token head", 1, 0);
		JsonNode job = alice.awaitStatus(id, JOB_TIMEOUT, "SUCCEEDED", "FAILED", "STOPPED", "REJECTED");
		assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(logs(id)).contains("hello through"));
		// nodes (the observer's /api/v0/nodes, as the scheduler's node views)
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(admin.get("/v1/nodes").body()).contains("127.0.0.2", "127.0.0.3"));
		// every service's log, from the stack's start on
		assertThat(output.getAll()).contains("submitted " + id + " to Ray").doesNotContain(RAY_TOKEN);
	}

	@Test
	void shouldGiveAWandbJobItsUsersKeyWhileRaysAnswersNeverHoldIt(CapturedOutput output) throws IOException {
		Assumptions.assumeTrue(python3(), "python3 is not on this machine: the W&B probe cannot run, test skipped");
		String id = alice.submitYaml(probe.yaml("probe-local", 4));
		alice.awaitStatus(id, JOB_TIMEOUT, "RUNNING", "SUCCEEDED", "FAILED");

		// what anyone with Ray's token may read while the job runs
		HttpResponse<String> list = ray.get("/api/jobs/");
		HttpResponse<String> one = ray.get("/api/jobs/" + id);
		assertThat(list.statusCode()).isEqualTo(200);
		assertThat(one.statusCode()).isEqualTo(200);
		assertThat(list.body()).contains(id).doesNotContain(probe.key);
		assertThat(one.body()).contains("NETRC").doesNotContain(probe.key);

		JsonNode job = alice.awaitStatus(id, JOB_TIMEOUT, "SUCCEEDED", "FAILED", "STOPPED");
		assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(logs(id)).contains("probe driver: WANDB_API_KEY match, netrc match",
					"probe done"));
		Path jobDir = Path.of(job.get("job_dir").asString());
		// the secrets are gone once the job ended and its log was archived
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(jobDir.resolve("secrets")).doesNotExist());
		try (Stream<Path> files = Files.walk(jobDir)) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				assertThat(Files.readString(file)).as(file.toString()).doesNotContain(probe.key);
			}
		}
		assertThat(alice.get("/v1/jobs/" + id).body()).doesNotContain(probe.key);
		assertThat(output.getAll()).contains("submitted " + id + " to Ray").doesNotContain(probe.key, RAY_TOKEN);
	}

	static boolean python3() {
		try {
			return new ProcessBuilder("python3", "--version").redirectErrorStream(true).start().waitFor() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	static String logs(String id) {
		return Json.mapper().readTree(alice.get("/v1/jobs/" + id + "/logs").body()).get("logs").asString();
	}

}
