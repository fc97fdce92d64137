package io.raylane.api.jobs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import io.raylane.api.ApiIntegrationTestSupport;
import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.job.Resources;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Reads come from the view of {@code raylane.job-states}, scoped to the caller. */
@Tag("slow")
class JobReadModelApiTest extends ApiIntegrationTestSupport {

	@Test
	void shouldReflectTheSchedulersSnapshotsOverThePlaceholder() throws Exception {
		String jobId = json(submit(ALICE, "application/json", "{\"workload\": \"command\", \"command\": \"sleep 1\"}"))
			.get("job_id")
			.asString();

		publishView(view(jobId, "alice", JobStatus.QUEUED, 1).toBuilder().reason("waiting for 1 node").build());

		await().untilAsserted(() -> assertThat(status(jobId, ALICE)).isEqualTo("QUEUED"));
		assertThat(json(get("/v1/jobs/" + jobId, ALICE)).get("reason").asString()).isEqualTo("waiting for 1 node");

		publishView(view(jobId, "alice", JobStatus.RUNNING, 1).toBuilder().driverNodeIp("127.10.0.7").build());

		await().untilAsserted(() -> assertThat(status(jobId, ALICE)).isEqualTo("RUNNING"));
		assertThat(json(get("/v1/jobs/" + jobId, ALICE)).get("driver_node_ip").asString()).isEqualTo("127.10.0.7");
	}

	@Test
	void shouldHideOtherUsersJobsButShowThemAllToAnAdmin() throws Exception {
		String bobs = freshId("bob");
		String alices = freshId("alice");
		publishView(view(bobs, "bob", JobStatus.QUEUED, 2));
		publishView(view(alices, "alice", JobStatus.QUEUED, 3));
		await().untilAsserted(() -> assertThat(get("/v1/jobs/" + alices, ALICE).statusCode()).isEqualTo(200));
		await().untilAsserted(() -> assertThat(get("/v1/jobs/" + bobs, BOB).statusCode()).isEqualTo(200));

		JsonNode hidden = json(get("/v1/jobs/" + bobs, ALICE));
		assertThat(get("/v1/jobs/" + bobs, ALICE).statusCode()).isEqualTo(404);
		assertThat(hidden.get("error").asString()).isEqualTo("job_not_found");
		assertThat(json(get("/v1/jobs/rl-doesnotexist", ALICE)).get("error").asString()).isEqualTo("job_not_found");
		assertThat(ids(get("/v1/jobs", ALICE))).contains(alices).doesNotContain(bobs).allMatch(this::isAlices);
		assertThat(ids(get("/v1/jobs", ADMIN))).contains(alices, bobs);
		assertThat(get("/v1/jobs/" + bobs, ADMIN).statusCode()).isEqualTo(200);
	}

	@Test
	void shouldListNewestFirstAndFilterByStatusCaseInsensitively() throws Exception {
		String older = freshId("old");
		String newer = freshId("new");
		String running = freshId("run");
		publishView(view(older, "alice", JobStatus.QUEUED, 10));
		publishView(view(newer, "alice", JobStatus.QUEUED, 20));
		publishView(view(running, "alice", JobStatus.RUNNING, 30));
		await().untilAsserted(() -> assertThat(ids(get("/v1/jobs?status=queued", ALICE))).contains(older, newer));

		List<String> queued = ids(get("/v1/jobs?status=queued", ALICE));
		assertThat(queued).doesNotContain(running);
		assertThat(queued.indexOf(newer)).isLessThan(queued.indexOf(older));
		assertThat(ids(get("/v1/jobs?status=RUNNING", ALICE))).contains(running).doesNotContain(older);
		JsonNode bad = json(get("/v1/jobs?status=sleeping", ALICE));
		assertThat(get("/v1/jobs?status=sleeping", ALICE).statusCode()).isEqualTo(400);
		assertThat(bad.get("field").asString()).isEqualTo("status");
	}

	@Test
	void shouldDeadLetterGarbageOnJobStatesAndKeepServing() throws Exception {
		String garbageKey = freshId("garbage");
		produce(Topics.JOB_STATES.name(), garbageKey, "{not json at all".getBytes(StandardCharsets.UTF_8));
		String after = freshId("after");
		publishView(view(after, "alice", JobStatus.QUEUED, 40));

		await().untilAsserted(() -> assertThat(deadLetters()).filteredOn((d) -> garbageKey.equals(d.key()))
			.singleElement()
			.satisfies((d) -> assertThat(d.topic()).isEqualTo(Topics.JOB_STATES.name()))
			.satisfies((d) -> assertThat(d.consumer()).isEqualTo("raylane-api"))
			.extracting(DeadLetter::value)
			.isEqualTo("{not json at all"));
		await().untilAsserted(() -> assertThat(status(after, ALICE)).isEqualTo("QUEUED"));
		assertThat(get("/v1/jobs/" + garbageKey, ADMIN).statusCode()).isEqualTo(404);
		assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
	}

	private boolean isAlices(String jobId) {
		try {
			return "alice".equals(json(get("/v1/jobs/" + jobId, ADMIN)).get("user").asString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String status(String jobId, String token) throws Exception {
		return json(get("/v1/jobs/" + jobId, token)).path("status").asString();
	}

	private static List<String> ids(java.net.http.HttpResponse<String> list) {
		return json(list).get("jobs").valueStream().map((j) -> j.get("job_id").asString()).toList();
	}

	static JobView view(String jobId, String user, JobStatus status, long submittedSecond) {
		return JobView.builder()
			.jobId(jobId)
			.user(user)
			.name("job")
			.workload("command")
			.pool("default")
			.status(status)
			.resources(Resources.of(1, 0))
			.submittedAt(Instant.ofEpochSecond(1_800_000_000L + submittedSecond))
			.updatedAt(Instant.now())
			.build();
	}

}
