package io.raylane.submitter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.rayclient.wire.RayJson;
import io.raylane.raystandin.fixture.FakeRayHeadFixture;
import io.raylane.topics.Jobs;
import io.raylane.topics.TestConsumers;
import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.events.DispatchCommand;
import io.raylane.topics.events.StopDelivered;
import io.raylane.topics.events.StopOnRay;
import io.raylane.topics.events.SubmitResult;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.events.Submitted;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The submitter as it runs (its own config file, Boot's Kafka transaction manager) on a
 * real embedded KRaft broker, with the fixture head serving Ray's HTTP contract.
 */
@Tag("slow")
@SpringBootTest(classes = SubmitterApplication.class,
		properties = { "spring.config.name=" + SubmitterApplication.CONFIG_NAME,
				"raylane.submitter.retry.max-retries=1", "raylane.submitter.retry.delay=10ms",
				"raylane.kafka.replication-factor=1", "raylane.submitter.redelivery.attempts=1",
				"raylane.submitter.redelivery.interval=10ms" })
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers",
		brokerProperties = { "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
				"group.initial.rebalance.delay.ms=0" })
class SubmitterKafkaTest {

	static final FakeRayHeadFixture RAY = new FakeRayHeadFixture();

	static final Path SHARED = createShared();

	@Autowired
	EmbeddedKafkaBroker broker;

	KafkaProducer<String, byte[]> producer;

	KafkaConsumer<String, byte[]> consumer;

	final List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("raylane.ray.address", RAY::address);
		registry.add("raylane.shared.root", SHARED::toString);
	}

	@BeforeEach
	void connect() {
		this.producer = new KafkaProducer<>(KafkaTestUtils.producerProps(this.broker), new StringSerializer(),
				new ByteArraySerializer());
		// the service writes in transactions or idempotently: read what was committed
		this.consumer = TestConsumers.readCommitted(this.broker.getBrokersAsString(),
				List.of(Topics.SUBMIT_RESULTS.name(), Topics.DEAD_LETTERS.name()));
	}

	@AfterEach
	void disconnect() {
		this.producer.close();
		this.consumer.close();
		RAY.clearFailures();
	}

	@AfterAll
	static void stopRay() throws IOException {
		RAY.close();
		try (Stream<Path> files = Files.walk(SHARED)) {
			files.sorted(Comparator.reverseOrder()).forEach((f) -> f.toFile().delete());
		}
	}

	@Test
	void shouldWriteTheJobDirectorySubmitToRayAndPublishSubmitted() throws Exception {
		SubmitToRay command = submit("k1");

		dispatch(command);

		assertThat(awaitResults("k1", 1)).singleElement()
			.isInstanceOfSatisfying(Submitted.class, (s) -> assertThat(s.alreadySubmitted()).isFalse());
		Path dir = SHARED.resolve("jobs/k1");
		assertThat(Files.readString(dir.resolve("config/jobspec.yaml")))
			.contains("command: \"echo hello from raylane\"");
		// the node the scheduler reserved holds the job: the shim's folder first on
		// PYTHONPATH, the selector in its environment and for the driver
		Path shim = dir.resolve("config/raylane_placement");
		assertThat(shim.resolve("sitecustomize.py")).exists();
		String env = "{\"env_vars\":{\"A\":\"1\",\"PYTHONPATH\":\"" + shim + ":${PYTHONPATH}\","
				+ "\"RAYLANE_PLACEMENT_SELECTOR\":\"{\\\"raylane.io/node\\\":\\\"in(node-1)\\\"}\"}}";
		assertThat(dir.resolve("config/runtime_env.json")).hasContent(env);
		assertThat(dir.resolve("config/submit_cmd.txt")).hasContent("ray job submit --address='" + RAY.address()
				+ "' --submission-id='k1' --runtime-env-json='" + env + "'"
				+ " --entrypoint-resources='{\"raylane-pool-default\":1.0}'"
				+ " --metadata-json='{\"raylane_job_id\":\"k1\",\"raylane_pool\":\"default\",\"raylane_user\":\"alice\"}'"
				+ " --entrypoint-label-selector='{\"raylane.io/node\":\"in(node-1)\"}'"
				+ " --no-wait -- 'echo hello from raylane'");
		assertThat(dir.resolve("logs")).isEmptyDirectory();
		assertThat(dir.resolve("checkpoints")).isEmptyDirectory();
		FakeRayHeadFixture.Request post = posts("/api/jobs/").stream()
			.filter((r) -> r.body().contains("\"k1\""))
			.findFirst()
			.orElseThrow();
		assertThat(post.userAgent()).isEqualTo("raylane/0.1");
		assertThat(RayJson.mapper().readTree(post.body())).isEqualTo(RayJson.mapper()
			.readTree("{\"entrypoint\":\"echo hello from raylane\",\"submission_id\":\"k1\"," + "\"runtime_env\":" + env
					+ ",\"metadata\":{\"raylane_job_id\":\"k1\","
					+ "\"raylane_user\":\"alice\",\"raylane_pool\":\"default\"},"
					+ "\"entrypoint_resources\":{\"raylane-pool-default\":1.0},"
					+ "\"entrypoint_label_selector\":{\"raylane.io/node\":\"in(node-1)\"}}"));
	}

	@Test
	void shouldAnswerARedeliveredSubmissionAsAlreadySubmitted() {
		dispatch(submit("k2"));
		dispatch(submit("k2"));

		List<SubmitResult> results = awaitResults("k2", 2);

		assertThat(results).extracting((r) -> ((Submitted) r).alreadySubmitted()).containsExactly(false, true);
		assertThat(RAY.jobs()).filteredOn((j) -> "k2".equals(j.submissionId())).hasSize(1);
		assertThat(SHARED.resolve("jobs/k2/config/submit_cmd.txt")).exists();
	}

	@Test
	void shouldDeadLetterGarbageAndHandleTheNextRecord() {
		this.producer
			.send(new ProducerRecord<>(Topics.DISPATCH.name(), "garbage", new byte[] { 0x7b, (byte) 0xff, 1 }));
		dispatch(submit("k3"));

		assertThat(awaitResults("k3", 1)).singleElement().isInstanceOf(Submitted.class);
		DeadLetter letter = awaitDeadLetter("garbage");
		assertThat(letter.topic()).isEqualTo(Topics.DISPATCH.name());
		assertThat(letter.consumer()).isEqualTo("raylane-submitter");
		assertThat(letter.valueEncoding()).isEqualTo("base64");
	}

	@Test
	void shouldDeliverAStopAndPublishStopDelivered() {
		dispatch(submit("k4"));
		awaitResults("k4", 1);

		dispatch(new StopOnRay("k4", "default", "timeout"));

		assertThat(awaitResults("k4", 2).get(1)).isInstanceOfSatisfying(StopDelivered.class, (s) -> {
			assertThat(s.stopped()).isTrue();
			assertThat(s.reason()).isEqualTo("timeout");
		});
		assertThat(posts("/api/jobs/k4/stop")).hasSize(1);
	}

	@Test
	void shouldDeadLetterAStopRayKeepsFailingAndCarryOn() {
		RAY.failNext(1000, 503);
		dispatch(new StopOnRay("k6", "default", "user"));

		DeadLetter letter = awaitDeadLetter("k6");
		RAY.clearFailures();
		dispatch(submit("k7"));

		assertThat(letter.reason()).contains("gave up after redeliveries").contains("Ray unavailable");
		assertThat(awaitResults("k7", 1)).singleElement().isInstanceOf(Submitted.class);
		assertThat(this.received).filteredOn((r) -> r.topic().equals(Topics.SUBMIT_RESULTS.name()))
			.noneMatch((r) -> r.key().equals("k6"));
	}

	@Test
	void shouldArchiveTheDriverLogOfADispatchedJobThatEndedThenDeleteItFromRay() {
		RAY.putJob(new RayJobDetails("SUBMISSION", "03000000", "k5", null, "SUCCEEDED", "echo",
				"Job finished successfully.", null, 1L, 2L, Map.of("raylane_job_id", "k5"), Map.of(), null, null, 0));
		RAY.setLogs("k5", "epoch 1 loss 0.5\nepoch 2 loss 0.25\n");
		JobView view = JobView.builder()
			.jobId("k5")
			.pool("default")
			.status(JobStatus.SUCCEEDED)
			.dispatchedAt(Instant.parse("2026-01-01T00:00:00Z"))
			.jobDir(SHARED.resolve("jobs/k5").toString())
			.build();

		this.producer.send(new ProducerRecord<>(Topics.JOB_STATES.name(), "k5",
				Topics.JOB_STATES.valueSerde().serializer().serialize(Topics.JOB_STATES.name(), view)));

		Path log = SHARED.resolve("jobs/k5/logs/driver.log");
		await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(log));
		assertThat(log).hasContent("epoch 1 loss 0.5\nepoch 2 loss 0.25");
		// once its log is safe in the job directory, the job is deleted from Ray (Ray's
		// job list stays short)
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(RAY.jobs()).extracting(RayJobDetails::submissionId).doesNotContain("k5"));
	}

	static SubmitToRay submit(String id) {
		JobSpec spec = Jobs.aJob(id).spec();
		return new SubmitToRay(1, id, "alice", "default", spec, spec.command(), Map.of("env_vars", Map.of("A", "1")),
				Map.of("raylane-pool-default", 1.0),
				Map.of("raylane_job_id", id, "raylane_user", "alice", "raylane_pool", "default"),
				SHARED.resolve("jobs").resolve(id).toString(), List.of("node-1"));
	}

	void dispatch(DispatchCommand command) {
		this.producer.send(new ProducerRecord<>(Topics.DISPATCH.name(), command.jobId(),
				Topics.DISPATCH.valueSerde().serializer().serialize(Topics.DISPATCH.name(), command)));
		this.producer.flush();
	}

	List<SubmitResult> awaitResults(String jobId, int count) {
		await().atMost(Duration.ofSeconds(30)).until(() -> results(jobId).size() >= count);
		return results(jobId);
	}

	DeadLetter awaitDeadLetter(String key) {
		await().atMost(Duration.ofSeconds(30)).until(() -> !deadLetters(key).isEmpty());
		return deadLetters(key).get(0);
	}

	List<SubmitResult> results(String jobId) {
		poll();
		return this.received.stream()
			.filter((r) -> r.topic().equals(Topics.SUBMIT_RESULTS.name()) && jobId.equals(r.key()))
			.map((r) -> Topics.SUBMIT_RESULTS.valueSerde().deserializer().deserialize(r.topic(), r.value()))
			.toList();
	}

	List<DeadLetter> deadLetters(String key) {
		poll();
		return this.received.stream()
			.filter((r) -> r.topic().equals(Topics.DEAD_LETTERS.name()) && key.equals(r.key()))
			.map((r) -> Topics.DEAD_LETTERS.valueSerde().deserializer().deserialize(r.topic(), r.value()))
			.toList();
	}

	void poll() {
		this.consumer.poll(Duration.ofMillis(200)).forEach(this.received::add);
	}

	static List<FakeRayHeadFixture.Request> posts(String path) {
		return RAY.requests().stream().filter((r) -> r.method().equals("POST") && r.path().equals(path)).toList();
	}

	private static Path createShared() {
		try {
			return Files.createTempDirectory("raylane-shared");
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
