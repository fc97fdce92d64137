package io.raylane.submitter.archive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.raylane.rayclient.RayHttp;
import io.raylane.raystandin.fixture.FakeRayHeadFixture;
import io.raylane.submitter.jobdir.JobDirectories;
import io.raylane.submitter.jobdir.JobSecrets;
import io.raylane.submitter.ray.HttpRayJobsClient;
import io.raylane.topics.TestClock;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

class LogArchiverTest {

	@AutoClose
	final FakeRayHeadFixture ray = new FakeRayHeadFixture();

	@TempDir
	Path root;

	static JobView view(JobStatus status, Instant dispatchedAt) {
		return JobView.builder().jobId("j1").pool("default").status(status).dispatchedAt(dispatchedAt).build();
	}

	@ParameterizedTest
	@EnumSource(value = JobStatus.class, names = { "SUCCEEDED", "FAILED", "STOPPED", "TIMED_OUT" })
	void shouldArchiveDispatchedJobsThatEnded(JobStatus status) {
		assertThat(LogArchiver.shouldArchive(view(status, Instant.EPOCH))).isTrue();
	}

	@ParameterizedTest
	@EnumSource(value = JobStatus.class, names = { "ACCEPTED", "QUEUED", "DISPATCHED", "SUBMITTED", "RUNNING" })
	void shouldNotArchiveJobsStillGoing(JobStatus status) {
		assertThat(LogArchiver.shouldArchive(view(status, Instant.EPOCH))).isFalse();
	}

	@Test
	void shouldNotArchiveJobsThatNeverReachedRay() {
		assertThat(LogArchiver.shouldArchive(view(JobStatus.REJECTED, null))).isFalse();
		assertThat(LogArchiver.shouldArchive(view(JobStatus.STOPPED, null))).isFalse();
	}

	LogArchiver archiver() {
		return new LogArchiver(client(), new JobDirectories(this.root, this.ray.address()));
	}

	HttpRayJobsClient client() {
		return new HttpRayJobsClient(RayHttp.restClient(RestClient.builder(), this.ray.address(), Duration.ofSeconds(2),
				Duration.ofSeconds(5)), new RetryTemplate(RetryPolicy.builder().maxRetries(0).build()));
	}

	/**
	 * Archives job j1's log with an archiver that reports its deletion to {@code sweep}.
	 */
	private void archiveAndDeleteJ1(RayDeletionSweep sweep) {
		LogArchiver archiver = new LogArchiver(client(), new JobDirectories(this.root, this.ray.address()),
				sweep::deleted);
		this.ray.putJob(submitted());
		this.ray.setLogs("j1", "hello from the driver\n");
		archiver.archive(view(JobStatus.SUCCEEDED, Instant.EPOCH));
	}

	@Test
	void shouldWriteRaysDriverLog() {
		this.ray.putJob(submitted());
		this.ray.setLogs("j1", "hello from the driver\n");

		assertThat(archiver().archive(view(JobStatus.SUCCEEDED, Instant.EPOCH)))
			.contains(this.root.resolve("jobs/j1/logs/driver.log"));
		assertThat(this.root.resolve("jobs/j1/logs/driver.log")).hasContent("hello from the driver");
	}

	@Test
	void shouldDeleteTheJobFromRayOnceItsLogIsArchived() {
		this.ray.putJob(submitted());
		this.ray.setLogs("j1", "hello from the driver\n");

		archiver().archive(view(JobStatus.SUCCEEDED, Instant.EPOCH));

		assertThat(this.ray.jobs()).isEmpty();
		assertThat(this.ray.requests()).extracting((r) -> r.method() + " " + r.path())
			.containsSubsequence("GET /api/jobs/j1/logs", "DELETE /api/jobs/j1");
	}

	/**
	 * Ray 2.60's job monitor may re-create a job just deleted (a late FAILED status): the
	 * archiver tells the sweep each deletion, and the sweep's next round, one
	 * {@code GET /api/jobs/}, finds the job back and deletes it again.
	 */
	@Test
	void shouldDeleteAJobAgainThatRayBroughtBackAfterItsDeletion() {
		TestClock clock = new TestClock(Instant.parse("2026-12-03T21:00:00Z"));
		RayDeletionSweep sweep = new RayDeletionSweep(client(), clock);

		archiveAndDeleteJ1(sweep);
		assertThat(this.ray.jobs()).isEmpty();
		this.ray.putJob(submitted()); // what Ray's monitor does
		clock.advance(RayDeletionSweep.PERIOD);
		sweep.run();

		assertThat(this.ray.jobs()).isEmpty();
		assertThat(this.ray.requests()).extracting((r) -> r.method() + " " + r.path())
			.containsExactly("GET /api/jobs/j1/logs", "DELETE /api/jobs/j1", "GET /api/jobs/", "DELETE /api/jobs/j1");
	}

	/** A job deleted once and not brought back costs Ray no second DELETE. */
	@Test
	void shouldNotDeleteAgainAJobRayDidNotBringBack() {
		TestClock clock = new TestClock(Instant.parse("2026-12-03T21:00:00Z"));
		RayDeletionSweep sweep = new RayDeletionSweep(client(), clock);

		archiveAndDeleteJ1(sweep);
		for (int round = 0; round < 7; round++) {
			clock.advance(RayDeletionSweep.PERIOD);
			sweep.run();
		}

		assertThat(sweep.watched()).isZero();
		assertThat(this.ray.requests()).extracting((r) -> r.method() + " " + r.path())
			.containsExactly("GET /api/jobs/j1/logs", "DELETE /api/jobs/j1", "GET /api/jobs/", "GET /api/jobs/",
					"GET /api/jobs/", "GET /api/jobs/", "GET /api/jobs/", "GET /api/jobs/");
	}

	@Test
	void shouldKeepTheJobOnRayWhenItsLogCouldNotBeArchived() {
		this.ray.putJob(submitted());
		this.ray.setLogs("j1", "hello from the driver\n");
		this.ray.failNext(1, 500);

		assertThat(archiver().archive(view(JobStatus.SUCCEEDED, Instant.EPOCH))).isEmpty();

		assertThat(this.ray.jobs()).hasSize(1);
		assertThat(this.ray.requests()).noneMatch((r) -> r.method().equals("DELETE"));
	}

	@Test
	void shouldDeleteTheSecretsOfAJobThatEndedEvenWhenItsLogCouldNotBeArchived() throws Exception {
		JobDirectories directories = new JobDirectories(this.root, this.ray.address());
		directories.writeSecrets("j1", null, new JobSecrets(Map.of("WANDB_API_KEY", "k"), "machine h\n"));
		this.ray.failNext(1, 500);

		archiver().archive(view(JobStatus.FAILED, Instant.EPOCH));

		assertThat(this.root.resolve("jobs/j1/secrets")).doesNotExist();
	}

	@Test
	void shouldKeepTheSecretsOfAJobStillGoing() throws Exception {
		new JobDirectories(this.root, this.ray.address()).writeSecrets("j1", null,
				new JobSecrets(Map.of("WANDB_API_KEY", "k"), null));

		archiver().archive(view(JobStatus.RUNNING, Instant.EPOCH));

		assertThat(this.root.resolve("jobs/j1/secrets/env")).exists();
	}

	@Test
	void shouldCarryOnWhenRayFails() {
		this.ray.failNext(1, 500);

		assertThat(archiver().archive(view(JobStatus.FAILED, Instant.EPOCH))).isEmpty();
		assertThat(this.root.resolve("jobs/j1/logs/driver.log")).doesNotExist();
	}

	/**
	 * Issue 12 item 3: the job planted {@code logs/driver.log -> users file} (a real
	 * symbolic link); archiving replaces the link and leaves the users file as it was.
	 */
	@Test
	void shouldReplaceALinkPlantedAtTheDriverLogWithoutWritingThroughIt() throws Exception {
		Path users = Files.writeString(this.root.resolve("users.yaml"), "admin: the-admin-token\n");
		Path log = Files.createDirectories(this.root.resolve("jobs/j1/logs")).resolve("driver.log");
		Files.createSymbolicLink(log, users);
		this.ray.putJob(submitted());
		this.ray.setLogs("j1", "hello from the driver\n");

		assertThat(archiver().archive(view(JobStatus.SUCCEEDED, Instant.EPOCH))).contains(log);

		assertThat(Files.isSymbolicLink(log)).isFalse();
		assertThat(log).hasContent("hello from the driver");
		assertThat(users).hasContent("admin: the-admin-token");
	}

	/**
	 * Issue 12 item 3: {@code logs/ -> a folder of Raylane's} must not receive the
	 * driver's output; the job stays on Ray, where its log can still be read.
	 */
	@Test
	void shouldRefuseToArchiveThroughALinkedLogsFolder() throws Exception {
		Path outside = Files.createDirectories(this.root.resolve("raylane-data"));
		Files.createDirectories(this.root.resolve("jobs/j1"));
		Files.createSymbolicLink(this.root.resolve("jobs/j1/logs"), outside);
		this.ray.putJob(submitted());
		this.ray.setLogs("j1", "hello from the driver\n");

		assertThat(archiver().archive(view(JobStatus.SUCCEEDED, Instant.EPOCH))).isEmpty();

		assertThat(outside).isEmptyDirectory();
		assertThat(this.ray.jobs()).hasSize(1);
	}

	private io.raylane.rayclient.wire.RayJobDetails submitted() {
		return new io.raylane.rayclient.wire.RayJobDetails("SUBMISSION", null, "j1", null, "SUCCEEDED", "echo", null,
				null, 1L, 2L, Map.of(), Map.of(), null, null, 0);
	}

}
