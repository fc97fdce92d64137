package io.raylane.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.raylane.topics.json.Json;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reservation-based backfill end to end on the local head (two 4-GPU workers of pool
 * default): a 2x4 gang waits behind a running 1x4 job and gets a reservation at that
 * job's deadline; a short 1x2 job backfills; a long 1x2 job does not; the gang starts
 * when its reservation comes due (the running job times out); and {@code GET /v1/queue}
 * explains each wait.
 */
@Tag("slow")
class BackfillEndToEndTest {

	static final Duration WAIT = Duration.ofSeconds(90);

	@TempDir
	static Path root;

	@AutoClose
	static LocalStack stack;

	static RaylaneClient alice;

	@BeforeAll
	static void startStack() throws Exception {
		stack = LocalStack.start(LocalStackSettings.forTest(root));
		Map<String, String> tokens = RaylaneClient.devTokens(stack.settings().dataDir());
		alice = new RaylaneClient(stack.apiUrl(), tokens.get("alice"));
		alice.awaitHealthy();
	}

	@Test
	void shouldBackfillAShortJobButNotALongOneAndStartTheGangWhenItsReservationComesDue() throws Exception {
		// 1. a 1x4 job with a 20 s timeout holds one worker
		String blocker = alice.submitYaml(spec("blocker", "sleep 600", 1, 4, "20s"));
		alice.awaitStatus(blocker, WAIT, "RUNNING");
		// 2. the gang cannot fit and gets the reservation at the blocker's deadline
		String gang = alice.submitYaml(spec("gang", "sleep 1", 2, 4, "1m"));
		await().atMost(WAIT).untilAsserted(() -> {
			JsonNode view = alice.job(gang);
			assertThat(view.get("status").asString()).isEqualTo("QUEUED");
			assertThat(view.path("estimated_start").isMissingNode()).isFalse();
		});
		// 3. a short job ends before that: it backfills on the free worker
		String shortJob = alice.submitYaml(spec("short", "sleep 1", 1, 2, "5s"));
		alice.awaitStatus(shortJob, WAIT, "DISPATCHED", "SUBMITTED", "RUNNING", "SUCCEEDED");
		// 4. a long job would outlive the reservation on a worker it needs: it waits
		String longJob = alice.submitYaml(spec("long", "sleep 600", 1, 2, "1h"));
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(alice.job(longJob).path("reasons").path(0).path("code").asString())
				.isEqualTo("reservation"));

		// 5. the queue explains each wait, in order
		JsonNode queue = Json.mapper().readTree(alice.get("/v1/queue?pool=default").body());
		assertThat(queue.get("pool").asString()).isEqualTo("default");
		JsonNode first = queue.get("jobs").get(0);
		assertThat(first.get("job_id").asString()).isEqualTo(gang);
		assertThat(first.get("position").asInt()).isEqualTo(1);
		assertThat(first.get("reasons").get(0).get("code").asString()).isEqualTo("insufficient_nodes");
		assertThat(first.get("reasons").get(0).get("detail").asString())
			.startsWith("needs 2 nodes with 4 GPUs free; has "); // 1 or 0 of 2, while the
																	// short job runs
		Instant reservedStart = Instant.parse(first.get("estimated_start").asString());
		JsonNode second = queue.get("jobs").get(1);
		assertThat(second.get("job_id").asString()).isEqualTo(longJob);
		assertThat(second.get("position").asInt()).isEqualTo(2);
		assertThat(second.get("reasons").get(0).get("detail").asString())
			.isEqualTo("held for the reservation of job " + gang);

		// 6. the blocker reaches its deadline and times out; the gang starts, the long
		// job still waits
		JsonNode timedOut = alice.awaitStatus(blocker, WAIT, "TIMED_OUT");
		JsonNode started = alice.awaitStatus(gang, WAIT, "DISPATCHED", "SUBMITTED", "RUNNING", "SUCCEEDED");
		assertThat(Instant.parse(started.get("dispatched_at").asString()))
			.isAfterOrEqualTo(Instant.parse(timedOut.get("ended_at").asString()));
		assertThat(reservedStart).isEqualTo(Instant.parse(timedOut.get("started_at").asString()).plusSeconds(20));
		assertThat(alice.awaitStatus(shortJob, WAIT, "SUCCEEDED").get("status").asString()).isEqualTo("SUCCEEDED");
		alice.post("/v1/jobs/" + longJob + ":stop", null, "");
		alice.awaitStatus(longJob, WAIT, "STOPPED");
	}

	private static String spec(String name, String command, int nnodes, int gpus, String timeout) {
		return """
				name: %s
				workload: command
				command: %s
				pool: default
				resources: {nnodes: %d, n_gpus_per_node: %d}
				timeout: %s
				""".formatted(name, Json.writeString(command), nnodes, gpus, timeout);
	}

}
