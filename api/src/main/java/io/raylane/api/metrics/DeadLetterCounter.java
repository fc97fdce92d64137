package io.raylane.api.metrics;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.raylane.api.ConsumerLoop;
import io.raylane.api.ConsumerLoopLifecycle;
import io.raylane.support.kafka.TopicsAtStartup;
import io.raylane.topics.Topic;
import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * {@code raylane_dead_letters_total{topic}}: counts the records on
 * {@code raylane.dead-letters} by the topic they came from, as one consumer group across
 * API instances ({@value #GROUP}, {@code read_committed}, from the earliest offset when
 * the group is new), so summing the instances counts each dead letter once (at least
 * once: a crash between count and commit may count a few twice). The label is the dead
 * letter's {@code topic} when it names a catalog topic, {@code other} for any other name
 * (a garbage record cannot blow up the series count), and {@code unreadable} when the
 * dead letter itself cannot be read. Unreadable dead letters are NOT dead-lettered again
 * (that would loop). Every catalog topic's series exists from start-up, at 0, so the
 * first dead letter shows as an increase.
 */
@Component
final class DeadLetterCounter implements ConsumerLoopLifecycle {

	static final String GROUP = "raylane-api-dead-letters";

	static final String UNREADABLE = "unreadable";

	static final String OTHER = "other";

	private static final Logger log = LoggerFactory.getLogger(DeadLetterCounter.class);

	private final ConsumerLoop loop;

	private final Map<String, Counter> counters = new HashMap<>();

	private final Set<String> catalog;

	private final MeterRegistry registry;

	DeadLetterCounter(KafkaProperties kafka, TopicsAtStartup topicsAtStartup, MeterRegistry registry) {
		this.registry = registry;
		Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
		config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
		config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true);
		config.put(ConsumerConfig.CLIENT_ID_CONFIG, "raylane-api-dead-letter-counter");
		this.loop = new ConsumerLoop("raylane-api-dead-letter-counter", config);
		this.catalog = Topics.all().stream().map(Topic::name).collect(Collectors.toUnmodifiableSet());
		for (String topic : this.catalog) {
			this.counters.put(topic, counter(registry, topic));
		}
		this.counters.put(OTHER, counter(registry, OTHER));
		this.counters.put(UNREADABLE, counter(registry, UNREADABLE));
	}

	private static Counter counter(MeterRegistry registry, String topic) {
		return Counter.builder("raylane.dead.letters")
			.description("records that landed on raylane.dead-letters, by the topic they came from")
			.tag("topic", topic)
			.register(registry);
	}

	/** The label a dead-letter record counts under. */
	String labelOf(ConsumerRecord<String, byte[]> record) {
		if (record.value() == null) {
			return UNREADABLE;
		}
		try {
			DeadLetter letter = Topics.DEAD_LETTERS.valueSerde()
				.deserializer()
				.deserialize(record.topic(), record.value());
			if (letter == null || letter.topic() == null) {
				return UNREADABLE;
			}
			return this.catalog.contains(letter.topic()) ? letter.topic() : OTHER;
		}
		catch (RuntimeException ex) {
			return UNREADABLE;
		}
	}

	@Override
	public void start() {
		// its consumer group's lag is how far behind the dead-letter count is
		this.loop.start(this::count, this.registry);
	}

	private void count(KafkaConsumer<String, byte[]> c) {
		try {
			c.subscribe(List.of(Topics.DEAD_LETTERS.name()));
			while (this.loop.running()) {
				for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
					this.counters.get(labelOf(record)).increment();
				}
			}
		}
		catch (WakeupException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			log.error("dead-letter counter stopped; raylane_dead_letters_total no longer counts", ex);
		}
	}

	@Override
	public ConsumerLoop loop() {
		return this.loop;
	}

}
