package io.raylane.support.kafka;

import java.time.Clock;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Function;

import io.raylane.topics.Topic;
import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Reads raw records into typed ones and sends the unreadable ones to
 * {@code raylane.dead-letters}. Every plain consumer (submitter, observer, api read
 * model) consumes bytes and reads them through this, so a bad record never stops a
 * service. A service builds it over its Kafka template ({@link #sending} or
 * {@link #awaitingAck}); {@link #afterRedeliveries} makes it the listeners' error
 * handler, {@link #afterRollbacks} the transactional listeners' after-rollback processor.
 */
public final class DeadLetterPublisher {

	private static final Logger log = LoggerFactory.getLogger(DeadLetterPublisher.class);

	private final BiConsumer<String, byte[]> sink;

	private final String consumer;

	private final Clock clock;

	/**
	 * @param sink sends (key, dead letter JSON) to {@code raylane.dead-letters}, e.g.
	 * {@code (k, v) -> kafkaTemplate.send(Topics.DEAD_LETTERS.name(), k, v)}; inside a
	 * Kafka transaction it should use the transactional producer so the dead letter
	 * commits with the consumer's offsets
	 * @param consumer the name of the consuming service, recorded in each dead letter
	 */
	public DeadLetterPublisher(BiConsumer<String, byte[]> sink, String consumer, Clock clock) {
		this.sink = sink;
		this.consumer = consumer;
		this.clock = clock;
	}

	/**
	 * Sends with {@code kafka} and does not wait: inside a Kafka transaction (the node
	 * agent) the dead letter commits with the consumed offsets; outside one (the API's
	 * readers) it is sent in the background.
	 */
	public static DeadLetterPublisher sending(KafkaTemplate<String, byte[]> kafka, String consumer, Clock clock) {
		return new DeadLetterPublisher((key, value) -> kafka.send(Topics.DEAD_LETTERS.name(), key, value), consumer,
				clock);
	}

	/**
	 * Sends with {@code kafka} and waits for the broker's acknowledgement, so that an
	 * at-least-once consumer (the submitter) never commits an offset past a record whose
	 * dead letter is not stored.
	 */
	public static DeadLetterPublisher awaitingAck(KafkaTemplate<String, byte[]> kafka, String consumer, Clock clock) {
		return new DeadLetterPublisher((key, value) -> kafka.send(Topics.DEAD_LETTERS.name(), key, value).join(),
				consumer, clock);
	}

	/**
	 * Reads {@code record}'s value as {@code topic}'s value type.
	 * @return the value, or null when the record was unreadable (it has then been
	 * dead-lettered) or a tombstone
	 */
	public <V> V read(Topic<String, V> topic, ConsumerRecord<String, byte[]> record) {
		if (record.value() == null) {
			return null;
		}
		V value;
		try {
			value = topic.valueSerde().deserializer().deserialize(record.topic(), record.value());
		}
		catch (RuntimeException ex) {
			// whatever a deserializer throws is this record's fault: the consumer goes on
			publish(record, DeadLetter.reasonOf(ex));
			return null;
		}
		if (value == null) {
			// the JSON literal null reads as no value; unlike a tombstone (no bytes at
			// all) it is a malformed record, and the caller would drop it in silence
			publish(record, "the value is JSON null, not a record of " + topic.name());
			return null;
		}
		return value;
	}

	/**
	 * Reads and then applies {@code handler}; a handler failure on a readable record is
	 * dead-lettered too.
	 */
	public <V> void handle(Topic<String, V> topic, ConsumerRecord<String, byte[]> record, Function<V, ?> handler) {
		V value = read(topic, record);
		if (value != null) {
			handler.apply(value);
		}
	}

	/**
	 * A listener error handler: a listener that throws gets its record redelivered
	 * {@code attempts} times, {@code interval} apart, then dead-lettered here, and the
	 * partition moves on (the offset of the dead-lettered record is committed).
	 */
	@SuppressWarnings("unchecked")
	public DefaultErrorHandler afterRedeliveries(long attempts, Duration interval) {
		DefaultErrorHandler handler = new DefaultErrorHandler(
				(record, ex) -> publish((ConsumerRecord<String, byte[]>) record,
						"gave up after redeliveries: " + DeadLetter.reasonOf(rootCause(ex))),
				new FixedBackOff(interval.toMillis(), attempts));
		handler.setCommitRecovered(true);
		return handler;
	}

	/**
	 * The same for a transactional listener (the node agent), whose failures go to an
	 * after-rollback processor instead of an error handler: the record is redelivered
	 * {@code attempts} times, then dead-lettered, and the dead letter and the record's
	 * offset commit in one transaction of {@code kafka}. Without it the container's
	 * default gives up after ten attempts with a log line only.
	 */
	@SuppressWarnings("unchecked")
	public DefaultAfterRollbackProcessor<Object, Object> afterRollbacks(long attempts, Duration interval,
			KafkaOperations<?, ?> kafka) {
		return new DefaultAfterRollbackProcessor<>(
				(record, ex) -> publish((ConsumerRecord<String, byte[]>) record,
						"gave up after redeliveries: " + DeadLetter.reasonOf(rootCause(ex))),
				new FixedBackOff(interval.toMillis(), attempts), kafka, true);
	}

	/** Sends the dead letter of {@code record}. */
	public void publish(ConsumerRecord<String, byte[]> record, String reason) {
		DeadLetter letter = DeadLetter.of(record.topic(), record.partition(), record.offset(), record.key(),
				record.value(), reason, this.consumer, this.clock.instant());
		log.warn("dead-lettered {}-{}@{}: {}", record.topic(), record.partition(), record.offset(), reason);
		this.sink.accept(record.key(),
				Topics.DEAD_LETTERS.valueSerde().serializer().serialize(Topics.DEAD_LETTERS.name(), letter));
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

}
