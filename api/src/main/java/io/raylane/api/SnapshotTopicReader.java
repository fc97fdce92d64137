package io.raylane.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.raylane.support.kafka.DeadLetterPublisher;
import io.raylane.topics.Topic;
import io.raylane.topics.deadletter.DeadLetter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.springframework.beans.factory.annotation.Autowired;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * Keeps an in-memory view equal to a compacted snapshot topic
 * ({@code raylane.job-states}, {@code raylane.node-states}): one thread, every partition
 * assigned by hand (no consumer group: each API instance holds the whole view), read from
 * the beginning with {@code read_committed}. Values are read as bytes through
 * {@link DeadLetterPublisher}, so an unreadable record goes to
 * {@code raylane.dead-letters} and the view carries on. Knows when it has caught up with
 * the end offsets captured at start-up, and since when it is known to hold everything
 * committed ({@link #upToDateAt()}). Also follows the append-only
 * {@code raylane.accounting} log (which has no tombstones).
 */
public abstract class SnapshotTopicReader<V> implements ConsumerLoopLifecycle {

	private static final Logger log = LoggerFactory.getLogger(SnapshotTopicReader.class);

	private final Topic<String, V> topic;

	private final ConsumerLoop loop;

	private final DeadLetterPublisher deadLetters;

	private volatile boolean caughtUp;

	private volatile Instant upToDateAt;

	private final Clock clock = Clock.systemUTC();

	private MeterRegistry registry;

	protected SnapshotTopicReader(Topic<String, V> topic, KafkaProperties kafka, DeadLetterPublisher deadLetters) {
		Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
		config.remove(ConsumerConfig.GROUP_ID_CONFIG);
		config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		config.put(ConsumerConfig.CLIENT_ID_CONFIG, threadName());
		this.topic = topic;
		this.loop = new ConsumerLoop(threadName(), config);
		this.deadLetters = deadLetters;
	}

	/**
	 * Exports the reader's Kafka client metrics, among them
	 * {@code kafka_consumer_fetch_manager_records_lag_max}: how far this read model is
	 * behind its topic. Optional (plain tests have no registry), hence a setter.
	 */
	@Autowired(required = false)
	public void setMeterRegistry(MeterRegistry registry) {
		this.registry = registry;
	}

	/** Whether the view holds everything the topic held when the reader started. */
	public boolean caughtUp() {
		return this.caughtUp;
	}

	/**
	 * The latest moment at which the view was known to hold every record committed to the
	 * topic (the end offsets asked for at that moment had all been read), or null before
	 * that was first seen. Checked when a poll finds nothing new, and at least every
	 * second while records stream in.
	 */
	public Instant upToDateAt() {
		return this.upToDateAt;
	}

	/** The snapshot's id (job id, node id); a snapshot without one is dead-lettered. */
	protected abstract String idOf(V snapshot);

	/** Applies a readable snapshot to the view. */
	protected abstract void put(V snapshot);

	/** Applies a tombstone (null value) of {@code key} to the view. */
	protected abstract void remove(String key);

	/** Called once, when the view first caught up. */
	protected void onCaughtUp() {
	}

	/** Called after every poll, on the reader's thread. */
	protected void afterPoll() {
	}

	@Override
	public void start() {
		this.loop.start(this::run, this.registry);
	}

	@Override
	public ConsumerLoop loop() {
		return this.loop;
	}

	private void run(KafkaConsumer<String, byte[]> c) {
		try {
			// 1. every partition, from the beginning; the end offsets now are what
			// "caught up" means
			List<TopicPartition> partitions = partitions(c);
			c.assign(partitions);
			c.seekToBeginning(partitions);
			Map<TopicPartition, Long> target = c.endOffsets(partitions);
			// 2. apply snapshots for ever
			Instant lastCheck = Instant.EPOCH;
			while (this.loop.running()) {
				int applied = 0;
				for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
					apply(record);
					applied++;
				}
				if (!this.caughtUp && partitions.stream().allMatch((tp) -> c.position(tp) >= target.get(tp))) {
					this.caughtUp = true;
					onCaughtUp();
				}
				Instant now = this.clock.instant();
				if (applied == 0 || !now.isBefore(lastCheck.plusSeconds(1))) {
					// freshness: everything committed before `now` is below these
					// (read_committed) end offsets
					lastCheck = now;
					checkUpToDate(c, partitions, now);
				}
				afterPoll();
			}
		}
		catch (WakeupException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			log.error("{} reader stopped; the view no longer follows the topic", this.topic, ex);
			this.caughtUp = false;
		}
	}

	private void checkUpToDate(KafkaConsumer<String, byte[]> c, List<TopicPartition> partitions, Instant now) {
		try {
			Map<TopicPartition, Long> end = c.endOffsets(partitions, Duration.ofSeconds(2));
			if (partitions.stream().allMatch((tp) -> c.position(tp) >= end.get(tp))) {
				this.upToDateAt = now;
			}
		}
		catch (WakeupException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			// a slow broker only leaves the freshness where it was; the view itself
			// carries on
			log.debug("{} end offsets unavailable: {}", this.topic, DeadLetter.reasonOf(ex));
		}
	}

	private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c) {
		while (true) {
			List<TopicPartition> partitions = c.partitionsFor(this.topic.name())
				.stream()
				.map((p) -> new TopicPartition(p.topic(), p.partition()))
				.toList();
			if (!partitions.isEmpty()) {
				return partitions;
			}
			// topic metadata not propagated yet right after creation
			c.poll(Duration.ofMillis(200));
		}
	}

	/**
	 * One record into the view: a tombstone removes, a readable snapshot is put, anything
	 * else is dead-lettered.
	 */
	public void apply(ConsumerRecord<String, byte[]> record) {
		try {
			if (record.value() == null) {
				if (record.key() != null) {
					remove(record.key());
				}
				return;
			}
			V snapshot = this.deadLetters.read(this.topic, record);
			if (snapshot == null) {
				return;
			}
			if (idOf(snapshot) == null) {
				this.deadLetters.publish(record, snapshot.getClass().getSimpleName() + " without an id");
				return;
			}
			put(snapshot);
		}
		catch (RuntimeException ex) {
			this.deadLetters.publish(record, DeadLetter.reasonOf(ex));
		}
	}

	private String threadName() {
		return "raylane-api-" + getClass().getSimpleName();
	}

}
