package io.raylane.deploy.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("slow")
class EmbeddedKafkaBrokerTest {

	@TempDir
	Path dataDir;

	@Test
	void shouldKeepCommittedRecordsAndClusterIdAcrossRestarts() throws Exception {
		String clusterId;
		try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(this.dataDir.resolve("kafka"), 0)) {
			assertThat(broker.port()).isPositive();
			assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());
			assertThat(broker.logDir()).isEqualTo(this.dataDir.toAbsolutePath().resolve("kafka"));
			assertThat(broker.logDir().resolve("meta.properties")).exists();
			clusterId = broker.clusterId();
			try (Admin admin = Admin
				.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
				admin.createTopics(List.of(new NewTopic("it.events", 1, (short) 1))).all().get();
			}
			produceTransactionally(broker.bootstrapServers(), "k1", "committed value");
			assertThat(readCommitted(broker.bootstrapServers(), 1)).containsExactly("k1=committed value");
		}

		try (EmbeddedKafkaBroker restarted = EmbeddedKafkaBroker.start(this.dataDir.resolve("kafka"), 0)) {
			assertThat(restarted.clusterId()).isEqualTo(clusterId);
			try (Admin admin = Admin
				.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, restarted.bootstrapServers()))) {
				assertThat(admin.listTopics().names().get()).contains("it.events");
			}
			produceTransactionally(restarted.bootstrapServers(), "k2", "after restart");
			assertThat(readCommitted(restarted.bootstrapServers(), 2)).containsExactly("k1=committed value",
					"k2=after restart");
		}
	}

	private static void produceTransactionally(String bootstrap, String key, String value) {
		Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
				ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-tx", ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
				StringSerializer.class, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
			producer.initTransactions();
			producer.beginTransaction();
			producer.send(new ProducerRecord<>("it.events", key, value));
			producer.commitTransaction();
		}
	}

	private static List<String> readCommitted(String bootstrap, int expected) {
		Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
				ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + System.nanoTime(),
				ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG,
				"read_committed", ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
				ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		List<String> seen = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
			consumer.subscribe(Set.of("it.events"));
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (seen.size() < expected && System.nanoTime() < deadline) {
				for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
					seen.add(r.key() + "=" + r.value());
				}
			}
		}
		return seen;
	}

}
