package io.raylane.topics.deadletter;

import java.time.Clock;
import java.util.function.BiConsumer;
import java.util.function.Function;

import io.raylane.topics.Topic;
import io.raylane.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads raw records into typed ones and sends the unreadable ones to {@code raylane.dead-letters}. Every
 * plain consumer (submitter, observer, api read model) consumes bytes and reads them through this, so a bad
 * record never stops a service.
 */
public final class DeadLetterPublisher {

	private static final Logger log = LoggerFactory.getLogger(DeadLetterPublisher.class);

	private final BiConsumer<String, byte[]> sink;

	private final String consumer;

	private final Clock clock;

	/**
	 * @param sink sends (key, dead letter JSON) to {@code raylane.dead-letters}, e.g.
	 * {@code (k, v) -> kafkaTemplate.send(Topics.DEAD_LETTERS.name(), k, v)}; inside a Kafka transaction it
	 * should use the transactional producer so the dead letter commits with the consumer's offsets
	 * @param consumer the name of the consuming service, recorded in each dead letter
	 */
	public DeadLetterPublisher(BiConsumer<String, byte[]> sink, String consumer, Clock clock) {
		this.sink = sink;
		this.consumer = consumer;
		this.clock = clock;
	}

	/**
	 * Reads {@code record}'s value as {@code topic}'s value type.
	 * @return the value, or null when the record was unreadable (it has then been dead-lettered) or a tombstone
	 */
	public <V> V read(Topic<String, V> topic, ConsumerRecord<String, byte[]> record) {
		if (record.value() == null) {
			return null;
		}
		try {
			return topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
		}
		catch (SerializationException | IllegalArgumentException ex) {
			publish(record, DeadLetter.reasonOf(ex));
			return null;
		}
	}

	/** Reads and then applies {@code handler}; a handler failure on a readable record is dead-lettered too. */
	public <V> void handle(Topic<String, V> topic, ConsumerRecord<String, byte[]> record, Function<V, ?> handler) {
		V value = read(topic, record);
		if (value != null) {
			handler.apply(value);
		}
	}

	/** Sends the dead letter of {@code record}. */
	public void publish(ConsumerRecord<String, byte[]> record, String reason) {
		DeadLetter letter = DeadLetter.of(record.topic(), record.partition(), record.offset(), record.key(),
				record.value(), reason, this.consumer, this.clock.instant());
		log.warn("dead-lettered {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason);
		this.sink.accept(record.key(),
				Topics.DEAD_LETTERS.valueSerde().serializer().serialize(Topics.DEAD_LETTERS.name(), letter));
	}

}
