package io.raylane.scheduler;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.raylane.topics.Jobs;
import io.raylane.topics.Topic;
import io.raylane.topics.Topics;
import io.raylane.topics.events.NodeObserved;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
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
 * Issue 12 "No record too large to write", reproduced on a real KRaft broker: the
 * service's exactly-once Streams, and a {@code raylane.dispatch} that takes smaller
 * records than the jobs' dispatch records. Before, the refused send aborted the
 * transaction and the stream thread replayed the same SubmitJob forever, dispatching
 * nothing else. Now the job whose record does not fit ends REJECTED with the reason, the
 * next job is dispatched, and {@code /actuator/health} says DOWN after the thread failed.
 */
@Tag("slow")
@EmbeddedKafka(brokerProperties = { "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1" })
class OversizeRecordBrokerTest {

	@TempDir
	Path dataDir;

	@TempDir
	Path sharedRoot;

	private KafkaProducer<String, byte[]> producer;

	private KafkaConsumer<String, byte[]> consumer;

	private Admin admin;

	private final List<ConsumerRecord<String, byte[]>> seen = new CopyOnWriteArrayList<>();

	@BeforeEach
	void connect() throws Exception {
		String bootstrap = broker().getBrokersAsString();
		this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
				new StringSerializer(), new ByteArraySerializer());
		this.consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
						"earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
				new StringDeserializer(), new ByteArrayDeserializer());
		this.admin = Admin.create(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
		// raylane.dispatch exists before the scheduler, taking records of at most 300 kB
		this.admin.createTopics(List.of(new NewTopic(Topics.DISPATCH.name(), Topics.DEFAULT_PARTITIONS, (short) 1)
			.configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "300000")))).all().get(30, TimeUnit.SECONDS);
	}

	@AfterEach
	void disconnect() {
		this.producer.close(Duration.ofSeconds(5));
		this.consumer.close(Duration.ofSeconds(5));
		this.admin.close(Duration.ofSeconds(5));
	}

	static Map<String, String> env(int kib) {
		Map<String, String> env = new HashMap<>();
		for (int i = 0; i < kib / 30; i++) {
			env.put("V" + i, "x".repeat(30 * 1024));
		}
		return env;
	}

	@Test
	void shouldRejectTheJobWhoseDispatchRecordTheBrokerRefusesAndDispatchTheNext() throws Exception {
		try (ConfigurableApplicationContext app = startScheduler()) {
			SchedulerStreams streams = app.getBean(SchedulerStreams.class);
			this.consumer.assign(IntStream.range(0, Topics.DEFAULT_PARTITIONS)
				.boxed()
				.flatMap((p) -> Stream.of(new TopicPartition(Topics.DISPATCH.name(), p),
						new TopicPartition(Topics.JOB_STATES.name(), p)))
				.toList());
			send(Topics.NODE_EVENTS, "n1",
					new NodeObserved(1, "n1", "127.10.0.1", "default", true, 4, Map.of(), Instant.now()));
			await().atMost(Duration.ofSeconds(60)).until(() -> health(app).statusCode() == 200);

			// 1. a dispatch record of about 360 kB: the limit read at start stops it
			// before it is sent
			send(Topics.JOB_COMMANDS, "rl-a",
					Jobs.aJob("rl-a").gang(1, 4).command("x".repeat(60 * 1024)).env(env(120)).submit());
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				poll();
				assertThat(latest("rl-a").status()).isEqualTo(JobStatus.REJECTED);
			});
			assertThat(latest("rl-a").reason()).contains("its record for raylane.dispatch would be")
				.contains("the topic takes at most " + (300000 - 1024));
			assertThat(streams.lastFailure()).isNull();

			// 2. the topic now takes 100 kB: the broker refuses a record of about 120 kB
			this.admin
				.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, Topics.DISPATCH.name()),
						List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "100000"),
								AlterConfigOp.OpType.SET))))
				.all()
				.get(30, TimeUnit.SECONDS);
			send(Topics.JOB_COMMANDS, "rl-b", Jobs.aJob("rl-b").gang(1, 4).env(env(60)).submit());
			await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
				poll();
				assertThat(latest("rl-b").status()).isEqualTo(JobStatus.REJECTED);
			});
			assertThat(latest("rl-b").reason()).contains("its record for raylane.dispatch would be");
			assertThat(streams.lastFailure()).isNotNull();
			HttpResponse<String> down = health(app);
			assertThat(down.statusCode()).isEqualTo(503);
			assertThat(down.body()).contains("DOWN");

			// 3. the stream goes on: the next job is dispatched
			send(Topics.JOB_COMMANDS, "rl-c", Jobs.aJob("rl-c").gang(1, 4).submit());
			await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
				poll();
				assertThat(latest("rl-c").status()).isEqualTo(JobStatus.DISPATCHED);
			});
			assertThat(streams.guard().refusals()).isEqualTo(1);
		}
	}

	private ConfigurableApplicationContext startScheduler() {
		return SchedulerApplication.builder()
			.properties("spring.kafka.bootstrap-servers=" + broker().getBrokersAsString(),
					"raylane.data.dir=" + this.dataDir, "raylane.shared.root=" + this.sharedRoot,
					"raylane.scheduler.health-failure-window=1h", "raylane.kafka.replication-factor=1",
					"spring.kafka.streams.properties.session.timeout.ms=6000")
			.run("--server.port=0");
	}

	private static HttpResponse<String> health(ConfigurableApplicationContext app) throws Exception {
		String port = app.getEnvironment().getProperty("local.server.port");
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
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
