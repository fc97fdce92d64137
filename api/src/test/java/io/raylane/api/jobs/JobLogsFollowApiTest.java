package io.raylane.api.jobs;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.raylane.api.ApiIntegrationTestSupport;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /v1/jobs/{id}/logs?follow=true} (issue 15): the log streamed as it grows
 * until the job ends, with the plain route's owner check.
 */
@Tag("slow")
class JobLogsFollowApiTest extends ApiIntegrationTestSupport {

	private static final HttpClient STREAMS = HttpClient.newHttpClient();

	@Test
	void shouldStreamTheLogAsItGrowsAndEndWhenTheJobEnds() throws Exception {
		String jobId = freshId("follow");
		Path log = archivedLog(jobId, "step 1 loss 0.9\n");
		JobView running = JobReadModelApiTest.view(jobId, "alice", JobStatus.RUNNING, 60)
			.toBuilder()
			.jobDir(log.getParent().getParent().toString())
			.build();
		visible(running);

		HttpResponse<InputStream> stream = follow(jobId, ALICE);
		assertThat(stream.statusCode()).isEqualTo(200);
		assertThat(stream.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain"));
		try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
			// the first line arrives while the job still runs: the answer is a stream
			assertThat(lines.readLine()).isEqualTo("step 1 loss 0.9");
			Files.writeString(log, "step 2 loss 0.5\n", StandardOpenOption.APPEND);
			assertThat(lines.readLine()).isEqualTo("step 2 loss 0.5");
			Files.writeString(log, "done\n", StandardOpenOption.APPEND);
			publishView(running.toBuilder().status(JobStatus.SUCCEEDED).updatedAt(java.time.Instant.now()).build());
			// the rest, then the end of the stream
			assertThat(lines.readLine()).isEqualTo("done");
			assertThat(lines.readLine()).isNull();
		}
	}

	@Test
	void shouldSendAnEndedJobsWholeLogAndEnd() throws Exception {
		String jobId = freshId("ended");
		Path log = archivedLog(jobId, "one\ntwo\n");
		visible(JobReadModelApiTest.view(jobId, "alice", JobStatus.FAILED, 61)
			.toBuilder()
			.jobDir(log.getParent().getParent().toString())
			.build());

		HttpResponse<InputStream> stream = follow(jobId, ALICE);

		assertThat(stream.statusCode()).isEqualTo(200);
		try (InputStream body = stream.body()) {
			assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("one\ntwo\n");
		}
	}

	@Test
	void shouldNotStreamAnotherUsersLog() throws Exception {
		String jobId = freshId("hidden");
		Path log = archivedLog(jobId, "alice's secret\n");
		visible(JobReadModelApiTest.view(jobId, "alice", JobStatus.SUCCEEDED, 62)
			.toBuilder()
			.jobDir(log.getParent().getParent().toString())
			.build());

		HttpResponse<InputStream> refused = follow(jobId, BOB);

		assertThat(refused.statusCode()).isEqualTo(404);
		try (InputStream body = refused.body()) {
			assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).contains("job_not_found")
				.doesNotContain("secret");
		}
		assertThat(follow(jobId, ADMIN).statusCode()).isEqualTo(200);
	}

	private HttpResponse<InputStream> follow(String jobId, String token) throws Exception {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/jobs/" + jobId + "/logs?follow=true"))
			.header("Authorization", "Bearer " + token)
			.build();
		return STREAMS.send(request, HttpResponse.BodyHandlers.ofInputStream());
	}

	private static Path archivedLog(String jobId, String text) throws Exception {
		Path jobDir = Path.of("target/it-shared/jobs", jobId).toAbsolutePath();
		Files.createDirectories(jobDir.resolve("logs"));
		return Files.writeString(jobDir.resolve("logs/driver.log"), text);
	}

	private void visible(JobView view) {
		publishView(view);
		await().untilAsserted(() -> assertThat(get("/v1/jobs/" + view.jobId(), ADMIN).statusCode()).isEqualTo(200));
	}

}
