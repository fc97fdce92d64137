package io.raylane.api.metrics;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raylane.support.kafka.TopicsAtStartup;
import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterCounterTest {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final DeadLetterCounter counter = new DeadLetterCounter(new KafkaProperties(),
			new TopicsAtStartup(List.of()), this.registry);

	static ConsumerRecord<String, byte[]> record(byte[] value) {
		return new ConsumerRecord<>(Topics.DEAD_LETTERS.name(), 0, 0, "k", value);
	}

	static byte[] letterFrom(String topic) {
		return Topics.DEAD_LETTERS.valueSerde()
			.serializer()
			.serialize("t", DeadLetter.of(topic, 0, 1, "k", new byte[] { 1 }, "r", "c", Instant.EPOCH));
	}

	@Test
	void shouldLabelADeadLetterWithTheCatalogTopicItCameFrom() {
		assertThat(this.counter.labelOf(record(letterFrom(Topics.JOB_STATES.name())))).isEqualTo("raylane.job-states");
		assertThat(this.counter.labelOf(record(letterFrom("x.y")))).isEqualTo(DeadLetterCounter.OTHER);
	}

	@Test
	void shouldLabelWhatIsNotADeadLetterUnreadable() {
		assertThat(this.counter.labelOf(record("{nope".getBytes(StandardCharsets.UTF_8))))
			.isEqualTo(DeadLetterCounter.UNREADABLE);
		assertThat(this.counter.labelOf(record(null))).isEqualTo(DeadLetterCounter.UNREADABLE);
		assertThat(this.counter.labelOf(record(letterFrom(null)))).isEqualTo(DeadLetterCounter.UNREADABLE);
	}

	@Test
	void shouldRegisterEveryCatalogTopicAtZero() {
		for (var topic : Topics.all()) {
			assertThat(this.registry.get("raylane.dead.letters").tag("topic", topic.name()).counter().count()).isZero();
		}
		assertThat(this.registry.get("raylane.dead.letters").tag("topic", "unreadable").counter().count()).isZero();
	}

}
