package io.raylane.support.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.json.Json;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

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

	private static ConsumerRecord<String, byte[]> record(String key, byte[] value) {
		return new ConsumerRecord<>(Topics.JOB_STATES.name(), 2, 41, key, value);
	}

}
