package io.raylane.api.storage;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import io.raylane.api.ApiIntegrationTestSupport;
import io.raylane.topics.Topics;
import io.raylane.topics.events.AuditEvent;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Storage and cleanup over HTTP on a real broker (issue 16): a non-admin is refused and
 * audited, a dry run changes nothing, the real run frees what the dry run said and is
 * audited on {@code raylane.audit}, a bad body is a 400 naming the field, and
 * {@code GET /v1/storage} shows an admin every user and a user their own.
 */
@Tag("slow")
class StorageApiTest extends ApiIntegrationTestSupport {

	static final Path ROOT = Path.of("target/it-shared").toAbsolutePath().normalize();

	static final String CLEANUP = "/v1/ops/cleanup_job_artifacts";

	HttpResponse<String> cleanup(String token, String body) throws Exception {
		return call("POST", CLEANUP, token, "application/json", body);
	}

	/** A finished job of alice with three checkpoints, known to the API's view. */
	String finishedJob() throws Exception {
		String jobId = freshId("clean");
		Path dir = CleanupFixtures.jobDir(ROOT, jobId, 3, 1, 2, 3);
		publishView(JobView.builder()
			.jobId(jobId)
			.user("alice")
			.pool("default")
			.status(JobStatus.SUCCEEDED)
			.jobDir(dir.toString())
			.submittedAt(Instant.now().minusSeconds(7200))
			.endedAt(Instant.now().minusSeconds(3600))
			.updatedAt(Instant.now())
			.build());
		await().atMost(Duration.ofSeconds(20))
			.until(() -> get("/v1/jobs/" + jobId, ADMIN).body().contains("SUCCEEDED"));
		return jobId;
	}

	@Test
	void shouldRefuseANonAdminAndAuditTheRefusal() throws Exception {
		String jobId = finishedJob();

		HttpResponse<String> refused = cleanup(ALICE, "{\"job_ids\":[\"" + jobId + "\"]}");

		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(ROOT.resolve("jobs").resolve(jobId).resolve("checkpoints/global_step_1")).isDirectory();
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(values(Topics.AUDIT)).anyMatch((e) -> e.user().equals("alice")
					&& e.action().equals("cleanup_job_artifacts") && e.outcome().equals("refused: 403")));
	}

	@Test
	void shouldFreeInTheRealRunWhatTheDryRunReportedAndAuditIt() throws Exception {
		String jobId = finishedJob();
		Path dir = ROOT.resolve("jobs").resolve(jobId);
		List<Path> before = files(dir);

		HttpResponse<String> dry = cleanup(ADMIN, "{\"job_ids\":[\"" + jobId + "\"],\"dry_run\":true}");

		assertThat(dry.statusCode()).isEqualTo(200);
		JsonNode planned = json(dry);
		assertThat(planned.get("dry_run").asBoolean()).isTrue();
		assertThat(planned.get("bytes_freed").asLong()).isEqualTo(2000);
		assertThat(planned.get("jobs").get(0).get("job_id").asString()).isEqualTo(jobId);
		assertThat(files(dir)).as("a dry run changes nothing").isEqualTo(before);

		HttpResponse<String> real = cleanup(ADMIN, "{\"job_ids\":[\"" + jobId + "\"],\"dry_run\":false}");

		assertThat(real.statusCode()).isEqualTo(200);
		JsonNode freed = json(real);
		assertThat(freed.get("dry_run").asBoolean()).isFalse();
		assertThat(freed.get("bytes_freed").asLong()).isEqualTo(planned.get("bytes_freed").asLong());
		assertThat(freed.get("jobs").get(0).get("deleted")).isEqualTo(planned.get("jobs").get(0).get("deleted"));
		assertThat(dir.resolve("checkpoints/global_step_1")).doesNotExist();
		assertThat(dir.resolve("checkpoints/global_step_3")).isDirectory();
		assertThat(dir.resolve("logs/driver.log")).isRegularFile();
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			List<AuditEvent> audits = values(Topics.AUDIT).stream()
				.filter((e) -> e.action().equals("cleanup_job_artifacts") && e.subject().contains(jobId))
				.toList();
			assertThat(audits).extracting(AuditEvent::user).containsOnly("admin");
			assertThat(audits).extracting(AuditEvent::outcome)
				.containsExactly("dry run: would free 2000 bytes of 1 jobs", "freed 2000 bytes of 1 jobs");
		});

		JsonNode again = json(cleanup(ADMIN, "{\"job_ids\":[\"" + jobId + "\"]}"));
		assertThat(again.get("bytes_freed").asLong()).as("idempotent").isZero();
	}

	@Test
	void shouldAnswer400NamingTheField() throws Exception {
		HttpResponse<String> unknown = cleanup(ADMIN, "{\"job_ids\":[\"rl-x\"],\"keep\":{\"checkpoint\":2}}");
		HttpResponse<String> badState = cleanup(ADMIN, "{\"states\":[\"RUNNING\"]}");

		assertThat(unknown.statusCode()).isEqualTo(400);
		assertThat(json(unknown).get("field").asString()).isEqualTo("keep.checkpoint");
		assertThat(badState.statusCode()).isEqualTo(400);
		assertThat(json(badState).get("field").asString()).isEqualTo("states");
	}

	@Test
	void shouldShowAnAdminEveryUserAndAUserTheirOwn() throws Exception {
		finishedJob();
		Files.createDirectories(ROOT.resolve("common/datasets"));

		HttpResponse<String> admin = get("/v1/storage", ADMIN);
		HttpResponse<String> alice = get("/v1/storage", ALICE);

		assertThat(admin.statusCode()).isEqualTo(200);
		JsonNode all = json(admin);
		assertThat(all.has("common_bytes")).isTrue();
		assertThat(all.get("file_system").get("size_bytes").asLong()).isPositive();
		assertThat(all.get("users").isArray()).isTrue();
		assertThat(alice.statusCode()).isEqualTo(200);
		JsonNode own = json(alice);
		assertThat(own.has("common_bytes")).as("common/ is for admins").isFalse();
		assertThat(own.get("users")).singleElement()
			.satisfies((u) -> assertThat(u.get("user").asString()).isEqualTo("alice"));
		own.get("jobs").forEach((job) -> assertThat(job.get("user").asString()).isEqualTo("alice"));
	}

	static List<Path> files(Path dir) throws Exception {
		try (Stream<Path> walk = Files.walk(dir)) {
			return walk.sorted().toList();
		}
	}

}
