package io.raylane.deploy.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How many records each topic took during a phase (the sum of its partitions' end
 * offsets, transaction markers included): the work per job each service had to read.
 */
final class TopicCounts {

	private TopicCounts() {
	}

	static Map<String, Long> endOffsets(String bootstrap, List<String> topics) {
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG,
						"bench-counts-" + UUID.randomUUID()),
				new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
			Map<String, Long> ends = new LinkedHashMap<>();
			for (String topic : topics) {
				List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30))
					.stream()
					.map((p) -> new TopicPartition(topic, p.partition()))
					.toList();
				ends.put(topic,
						consumer.endOffsets(partitions, Duration.ofSeconds(30))
							.values()
							.stream()
							.mapToLong(Long::longValue)
							.sum());
			}
			return ends;
		}
	}

	/** Prints each topic's records between two readings, per job. */
	static void print(Map<String, Long> before, Map<String, Long> after, int jobs) {
		System.out.println("  records per topic during the phase (offsets, markers included), per job:");
		after.forEach((topic, end) -> {
			long added = end - before.getOrDefault(topic, 0L);
			System.out.printf("    %-45s %8d  %6.2f%n", topic, added, added / (double) jobs);
		});
	}

}
