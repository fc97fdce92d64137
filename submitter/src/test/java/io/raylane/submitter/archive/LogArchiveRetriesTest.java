package io.raylane.submitter.archive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raylane.rayclient.RayHttp;
import io.raylane.raystandin.fixture.FakeRayHeadFixture;
import io.raylane.submitter.jobdir.JobDirectories;
import io.raylane.submitter.ray.HttpRayJobsClient;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 item 8: a failed log archive is tried again with back-off, then given up with
 * the reason. Ray is the scripted fake head; the waits are a manual scheduler's, run by
 * the test.
 */
class LogArchiveRetriesTest {

	@AutoClose
	final FakeRayHeadFixture ray = new FakeRayHeadFixture();

	@TempDir
	Path root;

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	/** The scheduled retries, in order; the test runs them. */
	final List<Duration> waits = new ArrayList<>();

	final List<Runnable> tasks = new ArrayList<>();

	LogArchiveRetries retries(int attempts) {
		HttpRayJobsClient client = new HttpRayJobsClient(RayHttp.restClient(RestClient.builder(), this.ray.address(),
				Duration.ofSeconds(2), Duration.ofSeconds(5)),
				new RetryTemplate(RetryPolicy.builder().maxRetries(0).build()));
		LogArchiver archiver = new LogArchiver(client, new JobDirectories(this.root, this.ray.address()));
		return new LogArchiveRetries(archiver,
				new LogArchiveRetries.Policy(attempts, Duration.ofSeconds(5), Duration.ofSeconds(15)), (wait, task) -> {
					this.waits.add(wait);
					this.tasks.add(task);
				}, this.meters);
	}

	static JobView ended() {
		return JobView.builder()
			.jobId("j1")
			.pool("default")
			.status(JobStatus.SUCCEEDED)
			.dispatchedAt(Instant.EPOCH)
			.build();
	}

	void runNext() {
		this.tasks.remove(0).run();
	}

	double count(String outcome) {
		return this.meters.counter(LogArchiveRetries.METER, "outcome", outcome).count();
	}

	@Test
	void shouldArchiveOnALaterAttemptWhenRayFailedTheFirstOnes() {
		this.ray.putJob(submitted());
		this.ray.setLogs("j1", "hello from the driver\n");
		this.ray.failNext(2, 503);
		LogArchiveRetries retries = retries(8);

		retries.archive(ended());
		assertThat(this.root.resolve("jobs/j1/logs/driver.log")).doesNotExist();
		assertThat(retries.pending()).isEqualTo(1);
		runNext();
		runNext();

		assertThat(this.root.resolve("jobs/j1/logs/driver.log")).hasContent("hello from the driver");
		assertThat(this.waits).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10));
		assertThat(this.tasks).isEmpty();
		assertThat(retries.pending()).isZero();
		assertThat(this.ray.jobs()).isEmpty();
		assertThat(count("retried")).isEqualTo(2);
		assertThat(count("archived")).isEqualTo(1);
	}

	@Test
	void shouldGiveUpAfterTheLastAttemptWithTheReasonAndLeaveTheJobOnRay() {
		this.ray.putJob(submitted());
		this.ray.setLogs("j1", "hello from the driver\n");
		this.ray.failNext(100, 503);
		LogArchiveRetries retries = retries(4);

		retries.archive(ended());
		while (!this.tasks.isEmpty()) {
			runNext();
		}

		assertThat(this.waits).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(15));
		assertThat(this.root.resolve("jobs/j1/logs/driver.log")).doesNotExist();
		assertThat(this.root.resolve("jobs/j1/logs/driver.log.unavailable")).content()
			.contains("Ray unavailable")
			.contains("4 attempts")
			.contains("GET /v1/jobs/j1/logs");
		assertThat(this.ray.jobs()).hasSize(1);
		assertThat(count("gave_up")).isEqualTo(1);
		assertThat(retries.pending()).isZero();
	}

	@Test
	void shouldNotTryAgainWhatNoRetryCanChange() throws Exception {
		Path outside = Files.createDirectories(this.root.resolve("raylane-data"));
		Files.createDirectories(this.root.resolve("jobs/j1"));
		Files.createSymbolicLink(this.root.resolve("jobs/j1/logs"), outside);
		this.ray.putJob(submitted());
		this.ray.setLogs("j1", "hello from the driver\n");

		retries(8).archive(ended());

		assertThat(this.tasks).isEmpty();
		assertThat(count("gave_up")).isEqualTo(1);
		assertThat(outside).isEmptyDirectory();
	}

	@Test
	void shouldKeepOneRetryPerJobWhenItsViewArrivesAgain() {
		this.ray.failNext(1, 503);
		LogArchiveRetries retries = retries(8);

		retries.archive(ended());
		retries.archive(ended());

		assertThat(this.tasks).hasSize(1);
	}

	private io.raylane.rayclient.wire.RayJobDetails submitted() {
		return new io.raylane.rayclient.wire.RayJobDetails("SUBMISSION", null, "j1", null, "SUCCEEDED", "echo", null,
				null, 1L, 2L, Map.of(), Map.of(), null, null, 0);
	}

}
