package io.raylane.deploy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.raylane.raycluster.RealRayCluster;
import io.raylane.raycluster.RealRayClusterSettings;
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
 * Issue 11 item 4 on a real Ray 2.60 head: the head restarts (a new GCS without fault
 * tolerance, which forgets every job) under two running jobs, and a third job is
 * submitted while it is down. The running jobs leave RUNNING, FAILED with the reason
 * {@code ray_lost_job}, within {@code raylane.observer.lost-job-grace} (20 s here) after
 * the head answers again, never before, and are never submitted again; the third job
 * waits ({@code ray_unavailable}) and runs exactly once when the head is back; the pool's
 * GPUs are all free at the end, and the worker's old Ray node id is no longer counted.
 * The cluster is this class's own (one worker with 4 GPUs): it restarts the head, which
 * the JVM's shared cluster must never see.
 */
@Isolated
@Tag("slow")
class RealRayHeadRestartTest {

	static final Duration GRACE = Duration.ofSeconds(20);

	static final Duration RAY_TIMEOUT = Duration.ofMinutes(3);

	@TempDir
	static Path root;

	static RealRayCluster cluster;

	static LocalStack stack;

	static RaylaneClient alice;

	static RaylaneClient admin;

	static RaylaneClient ray;

	@BeforeAll
	static void start() throws Exception {
		cluster = RealRayCluster.start(RealRayClusterSettings.defaults().withWorkers(1, 4));
		stack = LocalStack.start(LocalStackSettings.forTest(root).withRayAddress(cluster.dashboardUrl()),
				Map.of("raylane.observer.lost-job-grace", GRACE.toSeconds() + "s",
						// the job submitted while the head is down is retried every few
						// seconds, so it starts soon after the head is back
						"raylane.scheduler.submit-retry-backoff", "2s", "raylane.scheduler.submit-retry-max-backoff",
						"5s"));
		Map<String, String> tokens = RaylaneClient.devTokens(stack.settings().dataDir());
		alice = new RaylaneClient(stack.apiUrl(), tokens.get("alice"));
		admin = alice.as(tokens.get("admin"));
		ray = new RaylaneClient(cluster.dashboardUrl(), null);
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
	void shouldEndTheJobsARestartedHeadForgotAndRunTheJobSubmittedMeanwhileOnce() throws Exception {
		String worker = cluster.worker(1).ip();
		String oldNodeId = cluster.aliveNodeId(worker).orElseThrow();
		Path marker = stack.settings().sharedRoot().resolve("common/head-restart-runs.txt");
		Files.createDirectories(marker.getParent());
		// 1. two jobs run on the worker (3 of its 4 GPUs)
		String first = alice.submitCommand("long-1", "sleep 600", 1, 2);
		String second = alice.submitCommand("long-2", "sleep 600", 1, 1);
		alice.awaitStatus(first, RAY_TIMEOUT, "RUNNING");
		alice.awaitStatus(second, RAY_TIMEOUT, "RUNNING");

		// 2. the head goes away; a job submitted now cannot reach Ray and waits
		cluster.stopNode("head");
		Instant headDown = Instant.now();
		String meanwhile = alice.submitCommand("meanwhile", "echo ran on $(hostname) >> " + marker, 1, 1);
		JsonNode waiting = await().atMost(RAY_TIMEOUT)
			.pollInterval(Duration.ofMillis(500))
			.until(() -> alice.job(meanwhile), (job) -> reasonCodes(job).contains("ray_unavailable"));
		assertThat(waiting.get("status").asString()).isEqualTo("DISPATCHED");
		// a head that does not answer has lost nothing yet, however long it is away
		holdUntil(headDown.plus(GRACE).plusSeconds(5));
		assertThat(List.of(status(first), status(second))).containsOnly("RUNNING");

		// 3. the head comes back with an empty job table (its dashboard may answer before
		// ray start returns); the worker joins it anew
		Instant headStarting = Instant.now();
		cluster.startNode("head");
		cluster.restartNode("w1");

		// 4. the running jobs end with the reason, within the grace (plus polls)
		JsonNode firstEnded = alice.awaitStatus(first, Duration.ofMinutes(2), "FAILED", "SUCCEEDED", "STOPPED");
		JsonNode secondEnded = alice.awaitStatus(second, Duration.ofMinutes(2), "FAILED", "SUCCEEDED", "STOPPED");
		for (JsonNode ended : List.of(firstEnded, secondEnded)) {
			assertThat(ended.get("status").asString()).as(ended.toString()).isEqualTo("FAILED");
			String reason = ended.get("reason").asString();
			assertThat(reason).as(ended.toString())
				.startsWith("ray_lost_job: Ray no longer knows this job (head restarted?); "
						+ "absent from Ray's job list since ");
			// missing from the new head's first answers on, ended a grace later, not
			// before
			Instant missingSince = Instant.parse(reason.substring(reason.lastIndexOf(' ') + 1));
			Instant endedAt = Instant.parse(ended.get("ended_at").asString());
			assertThat(missingSince).isAfter(headStarting);
			assertThat(endedAt).isAfterOrEqualTo(missingSince.plus(GRACE));
			System.out.println("RealRayHeadRestartTest: " + ended.get("job_id").asString() + " FAILED "
					+ Duration.between(missingSince, endedAt).toMillis()
					+ " ms after the restarted head's first answer ("
					+ Duration.between(headStarting, endedAt).toMillis() + " ms after ray start --head began; grace "
					+ GRACE + "); the head was down " + Duration.between(headDown, headStarting).toMillis() + " ms");
		}

		// 5. the job that never reached Ray runs once the head answers, exactly once
		JsonNode ran = alice.awaitStatus(meanwhile, RAY_TIMEOUT, "SUCCEEDED", "FAILED", "STOPPED");
		assertThat(ran.get("status").asString()).as(ran.toString()).isEqualTo("SUCCEEDED");
		assertThat(Files.readAllLines(marker)).containsExactly("ran on " + cluster.worker(1).hostname());
		// the new head has the resubmitted job only: the lost ones were never submitted
		// again
		HttpResponse<String> rayJobs = ray.get("/api/jobs/");
		assertThat(rayJobs.statusCode()).isEqualTo(200);
		assertThat(submissionIds(rayJobs.body())).doesNotContain(first, second)
			.filteredOn(meanwhile::equals)
			.hasSizeLessThanOrEqualTo(1);

		// 6. every GPU of the pool is free; the worker's old Ray node is not counted
		String newNodeId = cluster.aliveNodeId(worker).orElseThrow();
		assertThat(newNodeId).isNotEqualTo(oldNodeId);
		await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
			JsonNode nodes = Json.mapper().readTree(admin.get("/v1/nodes?pool=default").body()).get("nodes");
			assertThat(nodes).as(nodes.toString()).allSatisfy((n) -> {
				assertThat(n.get("gpus_allocated").asInt()).isZero();
				assertThat(n.get("jobs")).isEmpty();
			});
			assertThat(nodes).filteredOn((n) -> "ONLINE".equals(n.get("state").asString()))
				.extracting((n) -> n.get("node_id").asString())
				.containsExactly(newNodeId);
		});
		JsonNode queue = Json.mapper().readTree(alice.get("/v1/queue?pool=default").body());
		assertThat(queue.get("jobs")).isEmpty();
	}

	static String status(String id) {
		return alice.job(id).get("status").asString();
	}

	static List<String> reasonCodes(JsonNode job) {
		List<String> codes = new ArrayList<>();
		JsonNode reasons = job.get("reasons");
		if (reasons != null && reasons.isArray()) {
			reasons.forEach((r) -> codes.add(r.get("code").asString()));
		}
		return codes;
	}

	static List<String> submissionIds(String body) {
		List<String> ids = new ArrayList<>();
		Json.mapper().readTree(body).forEach((job) -> ids.add(job.path("submission_id").asString()));
		return ids;
	}

	/** Lets time pass on purpose: the head stays down at least this long. */
	static void holdUntil(Instant until) throws InterruptedException {
		long millis = Duration.between(Instant.now(), until).toMillis();
		if (millis > 0) {
			Thread.sleep(millis);
		}
	}

}
