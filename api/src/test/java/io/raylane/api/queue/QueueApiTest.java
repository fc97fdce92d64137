package io.raylane.api.queue;

import java.time.Instant;
import java.util.List;

import io.raylane.api.ApiIntegrationTestSupport;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.job.Resources;
import io.raylane.topics.job.WaitReason;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /v1/queue?pool=}: the pool's queue in order, with positions, reasons and
 * estimates.
 */
@Tag("slow")
class QueueApiTest extends ApiIntegrationTestSupport {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	@Test
	void shouldListThePoolsQueueInOrderWithEveryReasonAndHideOtherUsersNames() throws Exception {
		String pool = freshId("pool");
		String gang = freshId("gang");
		String later = freshId("later");
		String running = freshId("running");
		publishView(queued(later, "alice", pool, 20,
				List.of(new WaitReason("reservation", "held for the reservation of job " + gang)), null));
		publishView(queued(gang, "bob", pool, 10,
				List.of(new WaitReason("insufficient_nodes", "needs 2 nodes with 4 GPUs free; has 1 of 2")),
				T0.plusSeconds(3600)));
		publishView(queued(running, "alice", pool, 5, List.of(), null).toBuilder().status(JobStatus.RUNNING).build());

		await().untilAsserted(
				() -> assertThat(json(get("/v1/queue?pool=" + pool, ALICE)).get("jobs").size()).isEqualTo(2));

		JsonNode body = json(get("/v1/queue?pool=" + pool, ALICE));
		assertThat(body.get("pool").asString()).isEqualTo(pool);
		JsonNode first = body.get("jobs").get(0);
		assertThat(first.get("job_id").asString()).isEqualTo(gang);
		assertThat(first.get("position").asInt()).isEqualTo(1);
		assertThat(first.get("reasons").get(0).get("code").asString()).isEqualTo("insufficient_nodes");
		assertThat(first.get("estimated_start").asString()).isEqualTo("2026-01-01T01:00:00Z");
		assertThat(first.has("name")).isFalse();
		assertThat(first.has("user")).isFalse();
		JsonNode second = body.get("jobs").get(1);
		assertThat(second.get("job_id").asString()).isEqualTo(later);
		assertThat(second.get("position").asInt()).isEqualTo(2);
		assertThat(second.get("name").asString()).isEqualTo("job " + later);
		assertThat(second.get("reasons").get(0).get("detail").asString())
			.isEqualTo("held for the reservation of job " + gang);
		assertThat(json(get("/v1/queue?pool=" + pool, ADMIN)).get("jobs").get(0).get("user").asString())
			.isEqualTo("bob");
		// one job's view shows the same live position, though the scheduler last
		// published 1
		assertThat(json(get("/v1/jobs/" + later, ALICE)).get("position").asInt()).isEqualTo(2);
	}

	@Test
	void shouldDropAJobFromTheQueueOnceItIsDispatched() throws Exception {
		String pool = freshId("pool");
		String job = freshId("job");
		publishView(queued(job, "alice", pool, 1, List.of(), null));
		await().untilAsserted(
				() -> assertThat(json(get("/v1/queue?pool=" + pool, ALICE)).get("jobs").size()).isEqualTo(1));

		publishView(queued(job, "alice", pool, 1, List.of(), null).toBuilder().status(JobStatus.DISPATCHED).build());

		await().untilAsserted(() -> assertThat(json(get("/v1/queue?pool=" + pool, ALICE)).get("jobs").size()).isZero());
	}

	@Test
	void shouldRequireThePool() throws Exception {
		assertThat(get("/v1/queue", ALICE).statusCode()).isEqualTo(400);
		assertThat(get("/v1/queue?pool=default", null).statusCode()).isEqualTo(401);
	}

	private static JobView queued(String id, String user, String pool, long second, List<WaitReason> reasons,
			Instant estimate) {
		return JobView.builder()
			.jobId(id)
			.name("job " + id)
			.user(user)
			.pool(pool)
			.workload("command")
			.status(JobStatus.QUEUED)
			.resources(Resources.of(1, 4))
			.submittedAt(T0.plusSeconds(second))
			.updatedAt(T0)
			.reasons(reasons)
			.position(1)
			.estimatedStart(estimate)
			.build();
	}

}
