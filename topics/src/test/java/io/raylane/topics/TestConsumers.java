package io.raylane.topics;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * How the services' Kafka tests read what a service wrote, as a downstream consumer
 * would.
 */
public final class TestConsumers {

	private TestConsumers() {
	}

	/**
	 * A consumer of {@code topics} in a fresh group, from the beginning, seeing committed
	 * records only (the services write in transactions or with idempotent producers; an
	 * aborted write must stay invisible).
	 */
	public static KafkaConsumer<String, byte[]> readCommitted(String bootstrapServers, List<String> topics) {
		KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
				bootstrapServers, ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
				ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
				new ByteArrayDeserializer());
		consumer.subscribe(topics);
		return consumer;
	}

}
