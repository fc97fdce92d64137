package io.raylane.deploy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import java.util.function.Function;
import java.util.stream.Collectors;

import io.raylane.rayclient.wire.RayContract;
import io.raylane.topics.Topics;
import io.raylane.topics.events.JobObserved;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Looks at the stack's topics from outside, as a downstream consumer or a misbehaving
 * producer would.
 */
final class KafkaProbe {

	private KafkaProbe() {
	}

	static void produce(String bootstrap, String topic, String key, byte[] value) throws Exception {
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
				new ByteArraySerializer())) {
			producer.send(new ProducerRecord<>(topic, key, value)).get();
		}
	}

	/**
	 * Sum of the topic's end offsets: grows by one with every record written (transaction
	 * markers too).
	 */
	static long endOffsetSum(String bootstrap, String topic) {
		try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap)) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((p) -> new TopicPartition(topic, p.partition()))
				.toList();
			return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
		}
	}

	/** Every committed value of the topic, from the beginning. */
	static List<byte[]> readAll(String bootstrap, String topic) {
		return readAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), topic);
	}

	/**
	 * Every committed value of the topic, from the beginning, read by a consumer with
	 * {@code connection} (bootstrap servers and, on a secured broker, credentials).
	 */
	static List<byte[]> readAll(Map<String, Object> connection, String topic) {
		try (KafkaConsumer<String, byte[]> consumer = consumer(connection)) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((p) -> new TopicPartition(topic, p.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			List<byte[]> values = new ArrayList<>();
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (partitions.stream().anyMatch((p) -> consumer.position(p) < end.get(p))
					&& System.nanoTime() < deadline) {
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					values.add(record.value());
				}
			}
			return values;
		}
	}

	/**
	 * The last observation of each ended job as the observer published it: Ray's own
	 * start and end times (Ray may have forgotten the job since: the submitter deletes it
	 * once its logs are archived).
	 */
	static Map<String, JobObserved> endedOnRay(String bootstrap) {
		return readAll(bootstrap, Topics.RAY_OBSERVATIONS.name()).stream()
			.map((bytes) -> Topics.RAY_OBSERVATIONS.valueSerde()
				.deserializer()
				.deserialize(Topics.RAY_OBSERVATIONS.name(), bytes))
			.filter(JobObserved.class::isInstance)
			.map(JobObserved.class::cast)
			.filter((o) -> RayContract.isTerminal(o.rayStatus()) && o.endTimeMs() != null)
			.collect(Collectors.toMap(JobObserved::jobId, Function.identity(), (a, b) -> b));
	}

	private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
		return consumer(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
	}

	private static KafkaConsumer<String, byte[]> consumer(Map<String, Object> connection) {
		Map<String, Object> config = new java.util.HashMap<>(connection);
		config.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
	}

}
