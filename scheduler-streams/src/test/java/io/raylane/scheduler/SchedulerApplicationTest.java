package io.raylane.scheduler;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.raylane.scheduler.topology.SchedulerMetrics;
import io.raylane.topics.Jobs;
import io.raylane.topics.Topic;
import io.raylane.topics.Topics;
import io.raylane.topics.events.DispatchCommand;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.NodeObserved;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real service (Spring Boot app, KafkaStreams with exactly_once_v2) on a real KRaft
 * broker: a job is dispatched, and after a restart on the same state its end is applied
 * from restored state, with no second dispatch.
 */
@Tag("slow")
@EmbeddedKafka(brokerProperties = { "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1" })
class SchedulerApplicationTest {

	@TempDir
	Path dataDir;

	@TempDir
	Path sharedRoot;

	private KafkaProducer<String, byte[]> producer;

	private KafkaConsumer<String, byte[]> consumer;

	private final List<ConsumerRecord<String, byte[]>> seen = new CopyOnWriteArrayList<>();

	@BeforeEach
	void connect() {
		String bootstrap = broker().getBrokersAsString();
		this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
				new StringSerializer(), new ByteArraySerializer());
		this.consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
						"earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
				new StringDeserializer(), new ByteArrayDeserializer());
	}

	@AfterEach
	void disconnect() {
		this.producer.close(Duration.ofSeconds(5));
		this.consumer.close(Duration.ofSeconds(5));
	}

	@Test
	void shouldDispatchExactlyOnceAndApplyTheJobsEndAfterARestart() {
		try (ConfigurableApplicationContext app = startScheduler()) {
			assertThat(app.getBean(SchedulerStreams.class).isRunning()).isTrue();
			// the service created the topics before starting Streams; read every
			// partition from the start
			this.consumer.assign(IntStream.range(0, Topics.DEFAULT_PARTITIONS)
				.boxed()
				.flatMap((p) -> Stream.of(new TopicPartition(Topics.DISPATCH.name(), p),
						new TopicPartition(Topics.JOB_STATES.name(), p)))
				.toList());
			send(Topics.NODE_EVENTS, "n1",
					new NodeObserved(1, "n1", "127.10.0.1", "default", true, 4, Map.of(), Instant.now()));
			send(Topics.JOB_COMMANDS, "rl-1", Jobs.aJob("rl-1").gang(1, 4).acceptedAt(Instant.now()).submit());

			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				poll();
				assertThat(submissions("rl-1")).singleElement()
					.satisfies((submit) -> assertThat(submit.nodes()).containsExactly("n1"));
				assertThat(latest("rl-1").status()).isEqualTo(JobStatus.DISPATCHED);
			});
			assertThat(latest("rl-1").jobDir())
				.isEqualTo(this.sharedRoot.toAbsolutePath().normalize().resolve("jobs/rl-1").toString());

			// records of different input partitions interleave in no fixed order, so the
			// second job is sent
			// once the first holds the node
			send(Topics.JOB_COMMANDS, "rl-2", Jobs.aJob("rl-2").gang(1, 4).acceptedAt(Instant.now()).submit());
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				poll();
				assertThat(latest("rl-2").status()).isEqualTo(JobStatus.QUEUED);
			});
		}

		try (ConfigurableApplicationContext app = startScheduler()) {
			send(Topics.RAY_OBSERVATIONS, "rl-1", new JobObserved(1, "rl-1", "default", "SUCCEEDED", "127.10.0.1",
					1_767_225_600_000L, 1_767_225_660_000L, 0, "Job finished successfully.", null, Instant.now()));

			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				poll();
				assertThat(latest("rl-1").status()).isEqualTo(JobStatus.SUCCEEDED);
				assertThat(latest("rl-2").status()).isEqualTo(JobStatus.DISPATCHED);
				assertThat(submissions("rl-2")).hasSize(1);
			});
			assertThat(submissions("rl-1")).hasSize(1);
			assertThat(app.getBean(SchedulerStreams.class).state()).isIn(KafkaStreams.State.RUNNING,
					KafkaStreams.State.REBALANCING);
		}
	}

	@Test
	void shouldExposeConsumerLagAndTheSchedulersMetersToPrometheus() {
		try (ConfigurableApplicationContext app = startScheduler()) {
			send(Topics.NODE_EVENTS, "m1",
					new NodeObserved(1, "m1", "127.10.0.9", "metrics", true, 4, Map.of(), Instant.now()));
			send(Topics.JOB_COMMANDS, "rl-m1",
					Jobs.aJob("rl-m1").gang(1, 4).pool("metrics").acceptedAt(Instant.now()).submit());
			PrometheusMeterRegistry prometheus = app.getBean(PrometheusMeterRegistry.class);

			// the stream threads' consumers are bound to Boot's registry (Streams is not
			// a Spring-managed factory)
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				assertThat(prometheus.find("kafka.consumer.fetch.manager.records.lag.max").gauges()).isNotEmpty();
				assertThat(prometheus.find(SchedulerMetrics.JOB_WAIT).tag("pool", "metrics").timer()).isNotNull();
			});
			String scrape = prometheus.scrape();
			assertThat(scrape).contains("kafka_consumer_fetch_manager_records_lag_max{",
					"raylane_scheduler_decision_seconds_bucket{", "raylane_scheduler_decision_seconds_count{",
					"raylane_job_wait_seconds_bucket{", "raylane_job_wait_seconds_count{",
					"raylane_ray_active_jobs_limit 100.0");
			assertThat(scrape).contains("raylane_job_wait_seconds_bucket{pool=\"metrics\",le=\"86400.0\"} 1");
		}
	}

	private ConfigurableApplicationContext startScheduler() {
		return SchedulerApplication.builder()
			.properties("spring.kafka.bootstrap-servers=" + broker().getBrokersAsString(),
					"raylane.data.dir=" + this.dataDir, "raylane.shared.root=" + this.sharedRoot,
					"raylane.kafka.replication-factor=1",
					// the restarted instance rejoins once the broker drops the closed one
					// (the broker's minimum)
					"spring.kafka.streams.properties.session.timeout.ms=6000")
			// a free web port: the yaml's default port would lose to nothing given as a
			// builder property
			.run("--server.port=0");
	}

	@SuppressWarnings("unchecked")
	private <V> void send(Topic<String, V> topic, String key, Object value) {
		byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), (V) value);
		try {
			this.producer.send(new ProducerRecord<>(topic.name(), key, bytes)).get(30, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("could not send to " + topic, ex);
		}
	}

	private void poll() {
		this.consumer.poll(Duration.ofMillis(200)).forEach(this.seen::add);
	}

	private List<SubmitToRay> submissions(String jobId) {
		return this.seen.stream()
			.filter((r) -> r.topic().equals(Topics.DISPATCH.name()) && jobId.equals(r.key()))
			.map((r) -> (DispatchCommand) Topics.DISPATCH.valueSerde().deserializer().deserialize(r.topic(), r.value()))
			.filter(SubmitToRay.class::isInstance)
			.map(SubmitToRay.class::cast)
			.toList();
	}

	private JobView latest(String jobId) {
		return this.seen.stream()
			.filter((r) -> r.topic().equals(Topics.JOB_STATES.name()) && jobId.equals(r.key()))
			.map((r) -> Topics.JOB_STATES.valueSerde().deserializer().deserialize(r.topic(), r.value()))
			.reduce((a, b) -> b)
			.orElseThrow(() -> new AssertionError("no JobView of " + jobId + " yet"));
	}

	private static EmbeddedKafkaBroker broker() {
		return EmbeddedKafkaCondition.getBroker();
	}

}
