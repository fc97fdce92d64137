package io.raylane.deploy.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The broker's own produce → consume round trip (acks=all, a consumer polling
 * continuously), at the same rate as the submit benchmark: the floor under any latency
 * the pipeline adds.
 */
final class BrokerRoundTrip {

	private BrokerRoundTrip() {
	}

	static List<Double> measure(String bootstrap, int records, double rate) throws Exception {
		String topic = "raylane.bench-roundtrip-" + UUID.randomUUID();
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
			admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
		}
		List<Double> latencies = new ArrayList<>();
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
						ProducerConfig.LINGER_MS_CONFIG, 0),
				new ByteArraySerializer(), new ByteArraySerializer());
				KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
						Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG,
								"bench-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
								ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10),
						new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(topic));
			while (consumer.assignment().isEmpty()) {
				consumer.poll(Duration.ofMillis(50));
			}
			long intervalNanos = (long) (1_000_000_000L / rate);
			for (int i = 0; i < records; i++) {
				long sent = System.nanoTime();
				producer.send(new ProducerRecord<>(topic, ByteBuffer.allocate(8).putLong(sent).array()));
				boolean received = false;
				while (!received) {
					for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(5))) {
						long at = System.nanoTime();
						latencies.add((at - ByteBuffer.wrap(record.value()).getLong()) / 1_000_000.0);
						received = true;
					}
				}
				long wait = sent + intervalNanos - System.nanoTime();
				if (wait > 0) {
					Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
				}
			}
		}
		return latencies;
	}

}
