package io.raylane.api.jobs;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import io.raylane.api.ApiIntegrationTestSupport;
import io.raylane.topics.Topics;
import io.raylane.topics.events.StopJob;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /v1/jobs/{id}:stop} (the colon path) and {@code GET /v1/jobs/{id}/logs}.
 */
@Tag("slow")
class JobStopAndLogsApiTest extends ApiIntegrationTestSupport {

	@Test
	void shouldWriteStopJobForARunningJob() throws Exception {
		String jobId = freshId("stop");
		visible(JobReadModelApiTest.view(jobId, "alice", JobStatus.RUNNING, 50).toBuilder().pool("gpu-a").build());

		HttpResponse<String> answer = post("/v1/jobs/" + jobId + ":stop", ALICE);

		assertThat(answer.statusCode()).isEqualTo(202);
		assertThat(json(answer).get("job_id").asString()).isEqualTo(jobId);
		assertThat(json(answer).get("status").asString()).isEqualTo("STOP_REQUESTED");
		assertThat(values(Topics.JOB_COMMANDS)).filteredOn((c) -> jobId.equals(c.jobId()))
			.singleElement()
			.isInstanceOfSatisfying(StopJob.class, (stop) -> {
				assertThat(stop.pool()).isEqualTo("gpu-a");
				assertThat(stop.by()).isEqualTo("alice");
				assertThat(stop.reason()).isEqualTo("user");
				assertThat(stop.requestedAt()).isNotNull();
			});
	}

	@Test
	void shouldLetAnAdminStopAnyJobButHideItFromOtherUsers() throws Exception {
		String jobId = freshId("bobs");
		visible(JobReadModelApiTest.view(jobId, "bob", JobStatus.QUEUED, 51));
		long before = count(Topics.JOB_COMMANDS);

		HttpResponse<String> refused = post("/v1/jobs/" + jobId + ":stop", ALICE);
		assertThat(refused.statusCode()).isEqualTo(404);
		assertThat(count(Topics.JOB_COMMANDS)).isEqualTo(before);

		assertThat(post("/v1/jobs/" + jobId + ":stop", ADMIN).statusCode()).isEqualTo(202);
		assertThat(values(Topics.JOB_COMMANDS)).filteredOn((c) -> jobId.equals(c.jobId()))
			.singleElement()
			.isInstanceOfSatisfying(StopJob.class, (stop) -> assertThat(stop.by()).isEqualTo("admin"));
	}

	@Test
	void shouldAnswerANoOpForAJobThatAlreadyEnded() throws Exception {
		String jobId = freshId("done");
		visible(JobReadModelApiTest.view(jobId, "alice", JobStatus.SUCCEEDED, 52));
		long before = count(Topics.JOB_COMMANDS);

		HttpResponse<String> answer = post("/v1/jobs/" + jobId + ":stop", ALICE);

		assertThat(answer.statusCode()).isEqualTo(200);
		JsonNode body = json(answer);
		assertThat(body.get("status").asString()).isEqualTo("SUCCEEDED");
		assertThat(body.get("detail").asString()).isEqualTo("job already ended; nothing to stop");
		assertThat(count(Topics.JOB_COMMANDS)).isEqualTo(before);
	}

	@Test
	void shouldServeTheArchivedDriverLog() throws Exception {
		String jobId = freshId("logs");
		Path jobDir = Path.of("target/it-shared/jobs", jobId).toAbsolutePath();
		Files.createDirectories(jobDir.resolve("logs"));
		Files.writeString(jobDir.resolve("logs/driver.log"), "step 1 loss 0.9\nstep 2 loss 0.5\n");
		visible(JobReadModelApiTest.view(jobId, "alice", JobStatus.SUCCEEDED, 53)
			.toBuilder()
			.jobDir(jobDir.toString())
			.build());

		HttpResponse<String> answer = get("/v1/jobs/" + jobId + "/logs", ALICE);

		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(json(answer).get("job_id").asString()).isEqualTo(jobId);
		assertThat(json(answer).get("logs").asString()).isEqualTo("step 1 loss 0.9\nstep 2 loss 0.5\n");
		assertThat(get("/v1/jobs/" + jobId + "/logs", BOB).statusCode()).isEqualTo(404);
	}

	/**
	 * Issue 12 item 3: a job plants {@code logs/driver.log -> users file}; the API must
	 * not serve the tokens through it (a real symbolic link on disk).
	 */
	@Test
	void shouldNotFollowALinkThatAJobPlantedAtItsDriverLog() throws Exception {
		String jobId = freshId("link");
		Path jobDir = Path.of("target/it-shared/jobs", jobId).toAbsolutePath();
		Files.createDirectories(jobDir.resolve("logs"));
		Path users = Path.of("src/test/resources/users-test.yaml").toAbsolutePath();
		Files.createSymbolicLink(jobDir.resolve("logs/driver.log"), users);
		visible(JobReadModelApiTest.view(jobId, "alice", JobStatus.QUEUED, 54)
			.toBuilder()
			.jobDir(jobDir.toString())
			.build());

		HttpResponse<String> answer = get("/v1/jobs/" + jobId + "/logs", ALICE);

		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(json(answer).get("logs").asString()).isEmpty();
		assertThat(answer.body()).doesNotContain(ALICE);
	}

	@Test
	void shouldAnswerEmptyLogsForAJobThatNeverReachedRay() throws Exception {
		String jobId = json(submit(BOB, "application/json", "{\"workload\": \"command\", \"command\": \"x\"}"))
			.get("job_id")
			.asString();

		HttpResponse<String> answer = get("/v1/jobs/" + jobId + "/logs", BOB);

		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(json(answer).get("logs").asString()).isEmpty();
	}

	private void visible(JobView view) {
		publishView(view);
		await().untilAsserted(() -> assertThat(get("/v1/jobs/" + view.jobId(), ADMIN).statusCode()).isEqualTo(200));
	}

}
