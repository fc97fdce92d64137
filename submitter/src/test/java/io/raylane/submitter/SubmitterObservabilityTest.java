package io.raylane.submitter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.raylane.jobspec.workload.ComposeContext;
import io.raylane.jobspec.workload.Composition;
import io.raylane.jobspec.workload.WorkloadComposer;
import io.raylane.rayclient.wire.RayJson;
import io.raylane.raystandin.fixture.FakeRayHeadFixture;
import io.raylane.topics.Topics;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.events.Submitted;
import io.raylane.topics.job.DataSpec;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.ModelSpec;
import io.raylane.topics.job.Resources;
import io.raylane.topics.job.WandbSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The running submitter's observability and secrets, on a real embedded KRaft broker with
 * the fixture head: a W&amp;B job reaches Ray with its key and the full base URL while
 * neither the key nor the URL's secrets appear on the topics, in the job directory or in
 * the log; its consumer lag and Ray calls are in the Prometheus registry.
 */
@Tag("slow")
@SpringBootTest(classes = SubmitterApplication.class,
		properties = { "spring.config.name=" + SubmitterApplication.CONFIG_NAME,
				"raylane.submitter.retry.max-retries=1", "raylane.submitter.retry.delay=10ms",
				"raylane.kafka.replication-factor=1" })
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers",
		brokerProperties = { "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
				"group.initial.rebalance.delay.ms=0" })
@ExtendWith(OutputCaptureExtension.class)
class SubmitterObservabilityTest {

	static final FakeRayHeadFixture RAY = new FakeRayHeadFixture();

	static final Path SHARED = temporaryDirectory();

	static final String KEY = "wk-" + UUID.randomUUID();

	/**
	 * A self-hosted W&amp;B server behind credentials in the URL (user info and a token
	 * parameter).
	 */
	static final String BASE_URL = "https://raylane:url-s3cret@wandb.example:8443/?api_key=q-s3cret&team=ml";

	static final String REDACTED_URL = "https://***@wandb.example:8443/?api_key=***&team=ml";

	static final List<String> SECRETS = List.of(KEY, "url-s3cret", "q-s3cret");

	@Autowired
	EmbeddedKafkaBroker broker;

	@Autowired
	PrometheusMeterRegistry prometheus;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		Path keyFile = Files.writeString(SHARED.resolve("wandb.key"), KEY + "\n");
		registry.add("raylane.ray.address", RAY::address);
		registry.add("raylane.shared.root", SHARED::toString);
		registry.add("raylane.submitter.wandb.base-url", () -> BASE_URL);
		registry.add("raylane.submitter.wandb.api-key-file", keyFile::toString);
	}

	@AfterAll
	static void stopRay() throws IOException {
		RAY.close();
		try (Stream<Path> files = Files.walk(SHARED)) {
			files.sorted(Comparator.reverseOrder()).forEach((f) -> f.toFile().delete());
		}
	}

	@Test
	void shouldGiveTheWandbKeyAndFullUrlToTheJobsSecretsOnly(CapturedOutput output) throws IOException {
		dispatch(wandbJob("wb-1"));

		List<ConsumerRecord<String, byte[]>> records = awaitRecords("wb-1");

		// 1. Ray got the redacted URL and where the job finds its secrets, never the key
		String body = RAY.requests()
			.stream()
			.filter((r) -> r.method().equals("POST") && r.body().contains("\"wb-1\""))
			.findFirst()
			.orElseThrow()
			.body();
		assertThat(body).doesNotContain(SECRETS);
		JsonNode sent = RayJson.mapper().readTree(body);
		JsonNode env = sent.path("runtime_env").path("env_vars");
		Path dir = SHARED.resolve("jobs/wb-1");
		assertThat(env.path("WANDB_API_KEY").isMissingNode()).isTrue();
		assertThat(env.path("WANDB_BASE_URL").asString()).isEqualTo(REDACTED_URL);
		assertThat(env.path("NETRC").asString()).isEqualTo(dir.resolve("secrets/netrc").toString());
		// 2. the job's own files have them, for the driver (env) and Ray's workers
		// (netrc)
		assertThat(Files.readString(dir.resolve("secrets/env"))).contains("WANDB_API_KEY='" + KEY + "'",
				"WANDB_BASE_URL='" + BASE_URL + "'");
		assertThat(Files.readString(dir.resolve("secrets/netrc"))).contains("machine wandb.example", "password " + KEY);
		// 3. verl's W&B logger is on, with the spec's project and run name, after the
		// secrets are sourced
		assertThat(sent.path("entrypoint").asString()).startsWith("set -a; . '" + dir.resolve("secrets/env") + "'")
			.contains("'trainer.logger=[console,wandb]'", "'trainer.project_name=team-a'",
					"'trainer.experiment_name=run-1'");
		// 4. neither the key nor the URL's secrets anywhere else
		assertThat(records).isNotEmpty().allSatisfy((r) -> assertThat(new String(r.value())).doesNotContain(SECRETS));
		assertThat(Topics.SUBMIT_RESULTS.valueSerde()
			.deserializer()
			.deserialize(records.get(0).topic(), records.get(0).value())).isInstanceOf(Submitted.class);
		try (Stream<Path> files = Files.walk(dir)) {
			for (Path file : files.filter(Files::isRegularFile)
				.filter((f) -> !f.startsWith(dir.resolve("secrets")))
				.toList()) {
				assertThat(Files.readString(file)).as(file.toString()).doesNotContain(SECRETS);
			}
		}
		assertThat(Files.readString(dir.resolve("config/runtime_env.json"))).contains(REDACTED_URL);
		assertThat(Files.readString(dir.resolve("config/submit_cmd.txt"))).contains(REDACTED_URL);
		assertThat(output.getAll()).contains("submitted wb-1 to Ray").doesNotContain(SECRETS);
	}

	@Test
	void shouldExposeConsumerLagAndRayCallsToPrometheus() {
		dispatch(wandbJob("wb-2"));
		awaitRecords("wb-2");

		// Boot binds the listener containers' consumers (its Kafka metrics
		// auto-configuration)
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(
					() -> assertThat(this.prometheus.find("kafka.consumer.fetch.manager.records.lag.max").gauges())
						.isNotEmpty());
		String scrape = this.prometheus.scrape();
		assertThat(scrape).contains("kafka_consumer_fetch_manager_records_lag_max{",
				"raylane_submitter_ray_call_seconds_count{operation=\"submit\",outcome=\"success\"}",
				"raylane_submitter_ray_call_seconds_bucket{operation=\"submit\",outcome=\"success\",le=");
	}

	static SubmitToRay wandbJob(String id) {
		JobSpec spec = new JobSpec(id, "ppo", null, "default", Resources.of(1, 1), null, Map.of(), null, null,
				new ModelSpec("/s/m"), new DataSpec(List.of("/s/d.parquet"), null), null, null, null, null,
				new WandbSpec(true, "team-a", "run-1"), null);
		String jobDir = SHARED.resolve("jobs").resolve(id).toString();
		// composed as the scheduler composes it
		Composition composition = WorkloadComposer.compose(spec, new ComposeContext(id, jobDir, "alice", Map.of()));
		return new SubmitToRay(1, id, "alice", "default", spec, composition.entrypoint(), composition.runtimeEnv(),
				Map.of("raylane-pool-default", 1.0), Map.of("raylane_job_id", id), jobDir, List.of("n1"));
	}

	void dispatch(SubmitToRay command) {
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaTestUtils.producerProps(this.broker),
				new StringSerializer(), new ByteArraySerializer())) {
			producer.send(new ProducerRecord<>(Topics.DISPATCH.name(), command.jobId(),
					Topics.DISPATCH.valueSerde().serializer().serialize(Topics.DISPATCH.name(), command)));
		}
	}

	/**
	 * Every record the submitter wrote (results and dead letters) once the job's result
	 * is there.
	 */
	List<ConsumerRecord<String, byte[]>> awaitRecords(String jobId) {
		Map<String, Object> props = KafkaTestUtils.consumerProps(this.broker, "test-" + UUID.randomUUID(), false);
		props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
				new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(Topics.SUBMIT_RESULTS.name(), Topics.DEAD_LETTERS.name()));
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
				return seen.stream().anyMatch((r) -> jobId.equals(r.key()));
			});
		}
		return seen.stream()
			.filter((r) -> jobId.equals(r.key()) || r.topic().equals(Topics.DEAD_LETTERS.name()))
			.toList();
	}

	private static Path temporaryDirectory() {
		try {
			return Files.createTempDirectory("raylane-shared");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
