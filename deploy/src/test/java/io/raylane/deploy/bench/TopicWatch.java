package io.raylane.deploy.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import io.raylane.topics.json.Json;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import tools.jackson.databind.JsonNode;

/**
 * A read_committed consumer beside the platform's own, recording per topic and job the
 * first moment a record of that job became visible (wall clock, ms) and that record: when
 * each exactly-once hop of a job committed, seen as a downstream service sees it. The job
 * id is the record's {@code job_id} field wherever it sits in the JSON value (the
 * scheduler's by-pool repartition is keyed by pool, not job).
 */
final class TopicWatch implements AutoCloseable {

	/** A record's first visibility: when, the record's own timestamp, its value. */
	record Seen(long visibleAtMs, long recordTimestampMs, JsonNode value) {
	}

	private final KafkaConsumer<byte[], byte[]> consumer;

	private final Map<String, Predicate<JsonNode>> topics;

	private final Map<String, Map<String, Seen>> seen = new ConcurrentHashMap<>();

	private final Thread thread;

	private volatile boolean running = true;

	/**
	 * @param topics per topic, which records count (e.g. only a terminal JobView)
	 */
	TopicWatch(String bootstrap, Map<String, Predicate<JsonNode>> topics) {
		this.topics = topics;
		this.consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG,
						"bench-watch-" + UUID.randomUUID(), ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
						ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
				new ByteArrayDeserializer(), new ByteArrayDeserializer());
		List<TopicPartition> partitions = topics.keySet()
			.stream()
			.flatMap((topic) -> this.consumer.partitionsFor(topic, Duration.ofSeconds(30))
				.stream()
				.map((p) -> new TopicPartition(topic, p.partition())))
			.toList();
		this.consumer.assign(partitions);
		// only what happens from now on
		this.consumer.seekToEnd(partitions);
		partitions.forEach(this.consumer::position);
		topics.keySet().forEach((topic) -> this.seen.put(topic, new ConcurrentHashMap<>()));
		this.thread = new Thread(this::run, "bench-topic-watch");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void run() {
		try {
			while (this.running) {
				for (ConsumerRecord<byte[], byte[]> record : this.consumer.poll(Duration.ofMillis(20))) {
					long at = System.currentTimeMillis();
					if (record.value() == null) {
						continue;
					}
					JsonNode value = Json.mapper().readTree(record.value());
					JsonNode id = value.findValue("job_id");
					if (id != null && id.isString() && this.topics.get(record.topic()).test(value)) {
						this.seen.get(record.topic())
							.putIfAbsent(id.asString(), new Seen(at, record.timestamp(), value));
					}
				}
			}
		}
		catch (WakeupException ex) {
			// closing
		}
		finally {
			this.consumer.close();
		}
	}

	/** Waits until {@code topic} has shown a record of each of {@code jobIds}. */
	void awaitAll(String topic, Set<String> jobIds, Duration patience) throws InterruptedException {
		long deadline = System.nanoTime() + patience.toNanos();
		while (!this.seen.get(topic).keySet().containsAll(jobIds)) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("not every job reached " + topic + " in " + patience);
			}
			Thread.sleep(200);
		}
	}

	/** The first visible record of a job on a topic, or null. */
	Seen first(String topic, String jobId) {
		return this.seen.get(topic).get(jobId);
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.consumer.wakeup();
		this.thread.join(10_000);
	}

}
