package io.raylane.topics.deadletter;

import java.time.Clock;
import java.util.function.Function;

import io.raylane.topics.Topic;
import io.raylane.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
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

	private final Producer<String, byte[]> producer;

	private final String consumer;

	private final Clock clock;

	/**
	 * @param producer a producer of String keys and byte[] values (the dead letter's JSON)
	 * @param consumer the name of the consuming service, recorded in each dead letter
	 */
	public DeadLetterPublisher(Producer<String, byte[]> producer, String consumer, Clock clock) {
		this.producer = producer;
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
		this.producer.send(new ProducerRecord<>(Topics.DEAD_LETTERS.name(), record.key(),
				Topics.DEAD_LETTERS.valueSerde().serializer().serialize(Topics.DEAD_LETTERS.name(), letter)));
	}

}
