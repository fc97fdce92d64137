package io.raylane.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.raylane.topics.Topic;
import io.raylane.topics.job.JobView;
import io.raylane.topics.json.Json;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
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
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.awaitility.Awaitility.await;

/**
 * The API as the launcher runs it ({@code spring.config.name=raylane-api}), on a real
 * embedded KRaft broker, called over HTTP. Every subclass shares this one context and
 * broker, so tests use fresh job ids and assert on their own records only.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.name=" + ApiApplication.CONFIG_NAME,
				"raylane.users.file=src/test/resources/users-test.yaml", "raylane.shared.root=target/it-shared",
				"raylane.data.dir=target/it-data", "raylane.ray.address=http://127.0.0.1:9",
				"raylane.kafka.replication-factor=1" })
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers",
		brokerProperties = { "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1" })
public abstract class ApiIntegrationTestSupport {

	protected static final String ALICE = "alice-test-token-0123456789";

	protected static final String BOB = "bob-test-token-0123456789ab";

	protected static final String ADMIN = "admin-test-token-0123456789";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	protected int port;

	@Autowired
	protected EmbeddedKafkaBroker broker;

	@BeforeEach
	void waitUntilUp() {
		await().atMost(Duration.ofSeconds(60))
			.until(() -> call("GET", "/actuator/health", null, null, null).statusCode() == 200);
	}

	protected HttpResponse<String> call(String method, String path, String token, String contentType, String body)
			throws IOException, InterruptedException {
		return call(method, path, token, contentType, body, java.util.Map.of());
	}

	protected HttpResponse<String> call(String method, String path, String token, String contentType, String body,
			java.util.Map<String, String> headers) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		headers.forEach(request::header);
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	protected HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
		return call("GET", path, token, null, null);
	}

	protected HttpResponse<String> post(String path, String token) throws IOException, InterruptedException {
		return call("POST", path, token, null, null);
	}

	protected HttpResponse<String> submit(String token, String contentType, String body)
			throws IOException, InterruptedException {
		return call("POST", "/v1/jobs", token, contentType, body);
	}

	protected static JsonNode json(HttpResponse<String> response) {
		return Json.mapper().readTree(response.body());
	}

	/**
	 * How many records {@code topic} holds (the sum of its partitions' end offsets),
	 * cheaply.
	 */
	protected long count(Topic<String, ?> topic) throws Exception {
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.getBrokersAsString()))) {
			Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
			admin.describeTopics(List.of(topic.name()))
				.allTopicNames()
				.get()
				.get(topic.name())
				.partitions()
				.forEach((p) -> latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
			return admin.listOffsets(latest).all().get().values().stream().mapToLong((o) -> o.offset()).sum();
		}
	}

	/** Every record now on {@code topic}, from the beginning. */
	protected List<ConsumerRecord<String, byte[]>> records(Topic<String, ?> topic) {
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.getBrokersAsString()),
				new StringDeserializer(), new ByteArrayDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic.name())
				.stream()
				.map((p) -> new TopicPartition(p.topic(), p.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
			while (partitions.stream().anyMatch((tp) -> consumer.position(tp) < end.get(tp))) {
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
			}
			return records;
		}
	}

	/** The values of {@code topic}, read with its serde. */
	protected <V> List<V> values(Topic<String, V> topic) {
		return records(topic).stream()
			.filter((r) -> r.value() != null)
			.map((r) -> topic.valueSerde().deserializer().deserialize(topic.name(), r.value()))
			.toList();
	}

	/**
	 * The dead letters now on {@code raylane.dead-letters}, skipping values that are not
	 * DeadLetters (a test puts garbage there on purpose to check the dead-letter
	 * counter).
	 */
	protected List<io.raylane.topics.deadletter.DeadLetter> deadLetters() {
		var topic = io.raylane.topics.Topics.DEAD_LETTERS;
		List<io.raylane.topics.deadletter.DeadLetter> letters = new ArrayList<>();
		for (ConsumerRecord<String, byte[]> record : records(topic)) {
			try {
				letters.add(topic.valueSerde().deserializer().deserialize(topic.name(), record.value()));
			}
			catch (RuntimeException ex) {
				// not a dead letter: skipped
			}
		}
		return letters;
	}

	/** Publishes a snapshot as the scheduler would. */
	protected void publishView(JobView view) {
		produce(io.raylane.topics.Topics.JOB_STATES.name(), view.jobId(),
				io.raylane.topics.Topics.JOB_STATES.valueSerde().serializer().serialize("", view));
	}

	protected void produce(String topic, String key, byte[] value) {
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.getBrokersAsString()),
				new StringSerializer(), new ByteArraySerializer())) {
			producer.send(new ProducerRecord<>(topic, key, value)).get();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	protected static String freshId(String prefix) {
		return "rl-" + prefix + "-" + Long.toHexString(System.nanoTime());
	}

}
