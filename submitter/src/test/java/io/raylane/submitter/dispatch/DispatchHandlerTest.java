package io.raylane.submitter.dispatch;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.raylane.rayclient.RayHttp;
import io.raylane.raystandin.fixture.FakeRayHeadFixture;
import io.raylane.submitter.jobdir.JobDirectories;
import io.raylane.submitter.ray.HttpRayJobsClient;
import io.raylane.topics.Jobs;
import io.raylane.topics.events.StopDelivered;
import io.raylane.topics.events.StopOnRay;
import io.raylane.topics.events.SubmitFailed;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.events.Submitted;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The handler with its real collaborators: job directories on disk and the HTTP client
 * against the fixture head.
 */
class DispatchHandlerTest {

	static final Instant NOW = Instant.parse("2026-02-01T10:00:00Z");

	@AutoClose
	final FakeRayHeadFixture ray = new FakeRayHeadFixture();

	@TempDir
	Path root;

	DispatchHandler handler() {
		return new DispatchHandler(new JobDirectories(this.root, this.ray.address()), client(),
				Clock.fixed(NOW, ZoneOffset.UTC));
	}

	HttpRayJobsClient client() {
		RetryTemplate retry = new RetryTemplate(RetryPolicy.builder()
			.includes(HttpRayJobsClient.retryableFailures())
			.maxRetries(1)
			.delay(Duration.ofMillis(5))
			.build());
		return new HttpRayJobsClient(RayHttp.restClient(RestClient.builder(), this.ray.address(), Duration.ofSeconds(2),
				Duration.ofSeconds(5)), retry);
	}

	SubmitToRay submit(String id, String jobDir) {
		return new SubmitToRay(1, id, "alice", "default", Jobs.aJob(id).spec(), "echo hello", Map.of(),
				Map.of("raylane-pool-default", 1.0), Map.of("raylane_job_id", id), jobDir, List.of("n1"));
	}

	@Test
	void shouldWriteTheDirectoryThenSubmit() {
		assertThat(handler().handle(submit("j1", null))).isEqualTo(new Submitted("j1", "default", false, NOW));

		assertThat(this.root.resolve("jobs/j1/config/submit_cmd.txt")).exists();
		assertThat(this.ray.jobs()).extracting((j) -> j.submissionId()).containsExactly("j1");
	}

	@Test
	void shouldHoldTheJobToItsReservedNodesThroughTheShim() {
		assertThat(handler().handle(submit("j2", null))).isInstanceOf(Submitted.class);

		Path shim = this.root.resolve("jobs/j2/config/raylane_placement");
		assertThat(shim.resolve("sitecustomize.py")).exists();
		// the driver by Ray's entrypoint_label_selector, every Ray process of the job by
		// the shim first on PYTHONPATH with the selector in its environment
		assertThat(this.ray.requests()).filteredOn((r) -> r.method().equals("POST"))
			.singleElement()
			.satisfies((r) -> assertThat(r.body()).contains(
					"\"entrypoint_label_selector\":{\"raylane.io/node\":\"in(n1)\"}",
					"\"PYTHONPATH\":\"" + shim + ":${PYTHONPATH}\"",
					"\"RAYLANE_PLACEMENT_SELECTOR\":\"{\\\"raylane.io/node\\\":\\\"in(n1)\\\"}\""));
		assertThat(this.root.resolve("jobs/j2/config/submit_cmd.txt")).content()
			.contains("--entrypoint-label-selector='{\"raylane.io/node\":\"in(n1)\"}'");
	}

	@Test
	void shouldGiveTheShimTheGpusReservedOnEachNode() {
		SubmitToRay gang = new SubmitToRay(1, "j3", "alice", "default", Jobs.aJob("j3").gang(2, 2).spec(), "echo hi",
				Map.of(), Map.of("raylane-pool-default", 1.0), Map.of("raylane_job_id", "j3"), null,
				List.of("n2", "n1"));

		assertThat(handler().handle(gang)).isInstanceOf(Submitted.class);

		// the spec's GPUs per node on each node the scheduler reserved
		assertThat(this.ray.requests()).filteredOn((r) -> r.method().equals("POST"))
			.singleElement()
			.satisfies(
					(r) -> assertThat(r.body()).contains("\"RAYLANE_PLACEMENT_GPUS\":\"{\\\"n1\\\":2,\\\"n2\\\":2}\""));
	}

	@Test
	void shouldGiveTheWandbKeyToTheJobsSecretsOnlyAndWriteTheOverrides() throws Exception {
		String key = "wk-" + java.util.UUID.randomUUID();
		Path keyFile = java.nio.file.Files.writeString(this.root.resolve("wandb.key"), key + "\n");
		ch.qos.logback.classic.Logger rootLogger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
			.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs = new ch.qos.logback.core.read.ListAppender<>();
		logs.start();
		rootLogger.addAppender(logs);
		io.raylane.topics.job.JobSpec spec = new io.raylane.topics.job.JobSpec("w", "ppo", null, "default",
				io.raylane.topics.job.Resources.of(1, 1), null, Map.of(), null, null,
				new io.raylane.topics.job.ModelSpec("/s/m"),
				new io.raylane.topics.job.DataSpec(List.of("/s/d.parquet"), null), null, null, null, null,
				new io.raylane.topics.job.WandbSpec(true, "p", "r"), null);
		String jobDir = this.root.resolve("jobs/j9").toString();
		SubmitToRay command = new SubmitToRay(1, "j9", "alice", "default", spec, "echo train",
				Map.of("env_vars", Map.of("A", "1")), Map.of("raylane-pool-default", 1.0), Map.of(), jobDir, List.of());
		DispatchHandler handler = new DispatchHandler(new JobDirectories(this.root, this.ray.address()), client(),
				Clock.fixed(NOW, ZoneOffset.UTC), new WandbSecret("https://wandb.example", keyFile));

		io.raylane.topics.events.SubmitResult result;
		try {
			result = handler.handle(command);
		}
		finally {
			rootLogger.detachAppender(logs);
		}

		assertThat(result).isInstanceOf(Submitted.class);
		Path secrets = this.root.resolve("jobs/j9/secrets");
		// Ray gets where the secrets are, never the key
		assertThat(this.ray.requests()).filteredOn((r) -> r.method().equals("POST"))
			.singleElement()
			.satisfies((r) -> assertThat(r.body()).doesNotContain(key)
				.contains("https://wandb.example", "\"NETRC\":\"" + secrets.resolve("netrc") + "\"",
						". '" + secrets.resolve("env") + "' || exit 1; set +a; echo train"));
		assertThat(java.nio.file.Files.readString(secrets.resolve("env"))).isEqualTo("WANDB_API_KEY='" + key + "'\n");
		assertThat(java.nio.file.Files.readString(secrets.resolve("netrc"))).contains("machine wandb.example",
				"password " + key);
		try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(this.root.resolve("jobs/j9"))) {
			for (Path file : files.filter(java.nio.file.Files::isRegularFile)
				.filter((f) -> !f.startsWith(secrets))
				.toList()) {
				assertThat(java.nio.file.Files.readString(file)).as(file.toString()).doesNotContain(key);
			}
		}
		assertThat(java.nio.file.Files.readString(this.root.resolve("jobs/j9/config/runtime_env.json")))
			.contains("https://wandb.example");
		assertThat(io.raylane.topics.json.Json.writeString(result)).doesNotContain(key);
		assertThat(io.raylane.topics.json.Json.writeString(command)).doesNotContain(key);
		assertThat(logs.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
			.isNotEmpty()
			.noneMatch((line) -> line.contains(key));
		assertThat(java.nio.file.Files.readAllLines(this.root.resolve("jobs/j9/config/overrides.txt")))
			.contains("trainer.default_local_dir=" + jobDir + "/checkpoints", "trainer.logger=[console,wandb]");
	}

	@Test
	void shouldRefuseAWandbJobWhenNoKeyIsConfigured() {
		io.raylane.topics.job.JobSpec spec = new io.raylane.topics.job.JobSpec("w", "ppo", null, "default",
				io.raylane.topics.job.Resources.of(1, 1), null, Map.of(), null, null,
				new io.raylane.topics.job.ModelSpec("/s/m"),
				new io.raylane.topics.job.DataSpec(List.of("/s/d.parquet"), null), null, null, null, null,
				new io.raylane.topics.job.WandbSpec(true, null, null), null);
		SubmitToRay command = new SubmitToRay(1, "j8", "alice", "default", spec, "echo train", Map.of(),
				Map.of("raylane-pool-default", 1.0), Map.of(), null, List.of());

		SubmitFailed failed = (SubmitFailed) handler().handle(command);

		assertThat(failed.retryable()).isFalse();
		assertThat(failed.reason()).contains("W&B");
		assertThat(this.ray.requests()).filteredOn((r) -> r.method().equals("POST")).isEmpty();
	}

	@Test
	void shouldNotResubmitAJobThatAlreadyRanAndWasArchived() throws Exception {
		// a dispatch redelivered after the job ended, was archived and deleted from Ray
		// would run it again
		java.nio.file.Files.createDirectories(this.root.resolve("jobs/j1/logs"));
		java.nio.file.Files.writeString(this.root.resolve("jobs/j1/logs/driver.log"), "done\n");

		assertThat(handler().handle(submit("j1", null))).isEqualTo(new Submitted("j1", "default", true, NOW));
		assertThat(this.ray.requests()).isEmpty();
	}

	@Test
	void shouldRefuseAnEscapingJobDirWithoutCallingRay() {
		SubmitFailed failed = (SubmitFailed) handler().handle(submit("j1", this.root + "/jobs/../../etc"));

		assertThat(failed.retryable()).isFalse();
		assertThat(failed.reason()).contains("outside the jobs root");
		assertThat(this.ray.requests()).isEmpty();
	}

	@Test
	void shouldRefuseACommandWithoutEntrypointWithoutCallingRay() {
		SubmitToRay noEntrypoint = new SubmitToRay(1, "j1", "alice", "default", null, null, null, null, null, null,
				null);

		SubmitFailed failed = (SubmitFailed) handler().handle(noEntrypoint);

		assertThat(failed.retryable()).isFalse();
		assertThat(failed.reason()).contains("entrypoint");
		assertThat(this.ray.requests()).isEmpty();
	}

	@Test
	void shouldPublishRaysRefusalAsPermanentFailure() {
		this.ray.failNext(1, 400);

		SubmitFailed failed = (SubmitFailed) handler().handle(submit("j1", null));

		assertThat(failed).isEqualTo(new SubmitFailed("j1", "default", false,
				"Traceback (most recent call last):\n  simulated failure", NOW));
		assertThat(this.ray.requests()).hasSize(1);
	}

	@Test
	void shouldDeliverAStop() {
		handler().handle(submit("j1", null));

		assertThat(handler().handle(new StopOnRay("j1", "default", "timeout")))
			.isEqualTo(new StopDelivered("j1", "default", true, "timeout", NOW));
	}

	@Test
	void shouldRaiseWhenRayCannotBeToldToStop() {
		this.ray.failNext(5, 503);

		assertThatThrownBy(() -> handler().handle(new StopOnRay("j1", "default", "user")))
			.isInstanceOfSatisfying(StopNotDeliveredException.class, (ex) -> assertThat(ex.retryable()).isTrue());
	}

}
