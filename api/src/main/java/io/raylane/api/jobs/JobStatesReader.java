package io.raylane.api.jobs;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.raylane.api.TopicsReady;
import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.deadletter.DeadLetterPublisher;
import io.raylane.topics.job.JobView;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Keeps {@link JobViewStore} equal to the compacted {@code raylane.job-states} topic: one thread, every
 * partition assigned by hand (no consumer group: each API instance holds the whole view), read from the
 * beginning with {@code read_committed}. Values are read as bytes through {@link DeadLetterPublisher}, so
 * an unreadable record goes to {@code raylane.dead-letters} and the view carries on. Reports when it has
 * caught up with the end offsets captured at start-up (the health indicator waits for that).
 */
@Component
final class JobStatesReader implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(JobStatesReader.class);

	private final Map<String, Object> consumerConfig;

	private final JobViewStore store;

	private final DeadLetterPublisher deadLetters;

	private final KafkaTemplate<String, byte[]> producer;

	private volatile KafkaConsumer<String, byte[]> consumer;

	private volatile Thread thread;

	private volatile boolean running;

	private volatile boolean caughtUp;

	private volatile boolean producerReady;

	JobStatesReader(KafkaProperties kafka, TopicsReady topicsReady, JobViewStore store,
			DeadLetterPublisher deadLetters, KafkaTemplate<String, byte[]> producer) {
		Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
		config.remove(ConsumerConfig.GROUP_ID_CONFIG);
		config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		config.put(ConsumerConfig.CLIENT_ID_CONFIG, "raylane-api-job-states");
		this.consumerConfig = config;
		this.store = store;
		this.deadLetters = deadLetters;
		this.producer = producer;
	}

	/** Whether the view holds everything the topic held when the API started. */
	boolean caughtUp() {
		return this.caughtUp;
	}

	/** Whether the producer has fetched the metadata of {@code raylane.job-commands}, i.e. reached the broker. */
	boolean producerReady() {
		return this.producerReady;
	}

	@Override
	public void start() {
		this.consumer = new KafkaConsumer<>(this.consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
		this.running = true;
		this.thread = new Thread(this::run, "raylane-api-job-states");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	@Override
	public void stop() {
		this.running = false;
		KafkaConsumer<String, byte[]> c = this.consumer;
		if (c != null) {
			c.wakeup();
		}
		try {
			if (this.thread != null) {
				this.thread.join(Duration.ofSeconds(10).toMillis());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void run() {
		try (KafkaConsumer<String, byte[]> c = this.consumer) {
			// 1. every partition, from the beginning; the end offsets now are what "caught up" means
			List<TopicPartition> partitions = partitions(c);
			c.assign(partitions);
			c.seekToBeginning(partitions);
			Map<TopicPartition, Long> target = c.endOffsets(partitions);
			// 2. warm the producer, so the first POST does not pay for metadata and health can say it reached the broker
			warmProducer();
			// 3. apply snapshots for ever
			while (this.running) {
				for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
					apply(record);
				}
				if (!this.caughtUp && partitions.stream().allMatch((tp) -> c.position(tp) >= target.get(tp))) {
					this.caughtUp = true;
					log.info("job view caught up with {}: {} jobs", Topics.JOB_STATES, this.store.size());
				}
				if (!this.producerReady) {
					warmProducer();
				}
			}
		}
		catch (WakeupException ex) {
			if (this.running) {
				log.error("job view reader woken up while running", ex);
			}
		}
		catch (RuntimeException ex) {
			log.error("job view reader stopped; the API reports DOWN", ex);
			this.caughtUp = false;
		}
	}

	private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c) {
		while (true) {
			List<TopicPartition> partitions = c.partitionsFor(Topics.JOB_STATES.name())
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

	void apply(ConsumerRecord<String, byte[]> record) {
		try {
			if (record.value() == null) {
				if (record.key() != null) {
					this.store.remove(record.key());
				}
				return;
			}
			JobView view = this.deadLetters.read(Topics.JOB_STATES, record);
			if (view == null) {
				return;
			}
			if (view.jobId() == null) {
				this.deadLetters.publish(record, "JobView without job_id");
				return;
			}
			this.store.apply(view);
		}
		catch (RuntimeException ex) {
			this.deadLetters.publish(record, DeadLetter.reasonOf(ex));
		}
	}

	private void warmProducer() {
		try {
			this.producer.partitionsFor(Topics.JOB_COMMANDS.name());
			this.producerReady = true;
		}
		catch (RuntimeException ex) {
			log.warn("producer cannot reach the broker yet: {}", DeadLetter.reasonOf(ex));
		}
	}

}
