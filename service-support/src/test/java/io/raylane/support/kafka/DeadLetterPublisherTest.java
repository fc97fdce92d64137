package io.raylane.support.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.json.Json;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterPublisherTest {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	private final Map<String, byte[]> sent = new java.util.LinkedHashMap<>();

	private final DeadLetterPublisher deadLetters = new DeadLetterPublisher(this.sent::put, "raylane-test",
			Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void shouldDeadLetterAnUnreadableRecordAndReadNothing() {
		ConsumerRecord<String, byte[]> garbage = record("rl-1", "{not json".getBytes(StandardCharsets.UTF_8));

		assertThat(this.deadLetters.read(Topics.JOB_STATES, garbage)).isNull();

		DeadLetter letter = Json.read(this.sent.get("rl-1"), DeadLetter.class);
		assertThat(letter.topic()).isEqualTo(Topics.JOB_STATES.name());
		assertThat(letter.partition()).isEqualTo(2);
		assertThat(letter.offset()).isEqualTo(41);
		assertThat(letter.value()).isEqualTo("{not json");
		assertThat(letter.consumer()).isEqualTo("raylane-test");
		assertThat(letter.failedAt()).isEqualTo(NOW);
		assertThat(letter.reason()).isNotBlank();
	}

	/**
	 * Issue 12's fault campaign: 8 of 1,000 malformed records on the listeners' topics
	 * got no dead letter; each was the JSON literal {@code null}, which reads as no value
	 * and was dropped like a tombstone. Every malformed shape the campaign sends, on each
	 * listener's topic, is read as nothing and dead-lettered with a reason.
	 */
	@ParameterizedTest(name = "{0} on {1}")
	@MethodSource("malformedRecords")
	void shouldDeadLetterEveryMalformedShapeWithAReason(String shape, String topic, String value) {
		ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(topic, 1, 7, "k",
				value.getBytes(StandardCharsets.ISO_8859_1));

		Object read = topic.equals(Topics.DISPATCH.name()) ? this.deadLetters.read(Topics.DISPATCH, record)
				: this.deadLetters.read(Topics.NODE_COMMANDS, record);

		assertThat(read).isNull();
		DeadLetter letter = Json.read(this.sent.get("k"), DeadLetter.class);
		assertThat(letter.topic()).isEqualTo(topic);
		assertThat(letter.offset()).isEqualTo(7);
		assertThat(letter.reason()).as(shape).isNotBlank();
	}

	static Stream<Arguments> malformedRecords() {
		Map<String, String> shapes = new java.util.LinkedHashMap<>();
		shapes.put("JSON null", "null");
		shapes.put("JSON null amid blanks", " null\n");
		shapes.put("no bytes", "");
		shapes.put("an array", "[]");
		shapes.put("a number", "42");
		shapes.put("a string", "\"text\"");
		shapes.put("a boolean", "true");
		shapes.put("truncated", "{\"type\":\"SubmitToRay\",\"job_");
		shapes.put("unknown type", "{\"type\":\"Bogus7\",\"job_id\":\"rl-1\",\"node_id\":\"n\"}");
		shapes.put("an object for an id",
				"{\"type\":\"SubmitToRay\",\"job_id\":{\"n\":1}}|{\"type\":\"ProvisionNode\",\"node_id\":{}}");
		shapes.put("no UTF-8", "\u00ff\u00fe\u00c3\u0028\u0007");
		shapes.put("deep nesting", "[".repeat(5_000));
		shapes.put("garbage", "#%&/()=?");
		List<Arguments> cases = new ArrayList<>();
		shapes.forEach((shape, values) -> {
			String[] perTopic = values.split("\\|", -1);
			cases.add(Arguments.of(shape, Topics.DISPATCH.name(), perTopic[0]));
			cases.add(Arguments.of(shape, Topics.NODE_COMMANDS.name(), perTopic[perTopic.length - 1]));
		});
		return cases.stream();
	}

	@Test
	void shouldReadATombstoneAsNothingWithoutADeadLetter() {
		List<Object> handled = new ArrayList<>();

		this.deadLetters.handle(Topics.JOB_STATES, record("rl-1", null), handled::add);

		assertThat(handled).isEmpty();
		assertThat(this.sent).isEmpty();
	}

	@Test
	void shouldDeadLetterARecordWhoseListenerKeptFailingWithTheRootCause() {
		DefaultErrorHandler handler = this.deadLetters.afterRedeliveries(0, Duration.ZERO);
		ConsumerRecord<String, byte[]> record = record("rl-2", "{}".getBytes(StandardCharsets.UTF_8));

		boolean recovered = handler.handleOne(
				new ListenerExecutionFailedException("listener failed", new IllegalStateException("Ray said no")),
				record, null, null);

		assertThat(recovered).isTrue();
		assertThat(Json.read(this.sent.get("rl-2"), DeadLetter.class).reason())
			.isEqualTo("gave up after redeliveries: IllegalStateException: Ray said no");
	}

	/**
	 * A transactional listener (the node agent) that keeps failing on a readable record:
	 * the container's default would log it and move on; it is dead-lettered with the root
	 * cause instead.
	 */
	@Test
	void shouldDeadLetterARecordWhoseTransactionalListenerKeptFailing() {
		// not transactional and never sending: the offset commit is the container's part
		KafkaTemplate<String, byte[]> kafka = new KafkaTemplate<>(
				new DefaultKafkaProducerFactory<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9")));
		DefaultAfterRollbackProcessor<Object, Object> processor = this.deadLetters.afterRollbacks(0, Duration.ZERO,
				kafka);
		ConsumerRecord<Object, Object> record = new ConsumerRecord<>(Topics.NODE_COMMANDS.name(), 1, 9, "node-1",
				"{}".getBytes(StandardCharsets.UTF_8));

		processor.process(List.of(record), new MockConsumer<>("earliest"), null,
				new ListenerExecutionFailedException("listener failed", new IllegalStateException("no SSH today")),
				true, ContainerProperties.EOSMode.V2);

		DeadLetter letter = Json.read(this.sent.get("node-1"), DeadLetter.class);
		assertThat(letter.topic()).isEqualTo(Topics.NODE_COMMANDS.name());
		assertThat(letter.offset()).isEqualTo(9);
		assertThat(letter.reason()).isEqualTo("gave up after redeliveries: IllegalStateException: no SSH today");
	}

	private static ConsumerRecord<String, byte[]> record(String key, byte[] value) {
		return new ConsumerRecord<>(Topics.JOB_STATES.name(), 2, 41, key, value);
	}

}
