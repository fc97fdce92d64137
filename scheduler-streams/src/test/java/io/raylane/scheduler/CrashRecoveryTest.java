package io.raylane.scheduler;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.raylane.topics.Jobs;
import io.raylane.topics.Topic;
import io.raylane.topics.TopicCreator;
import io.raylane.topics.Topics;
import io.raylane.topics.partition.PoolPartitions;
import io.raylane.topics.events.DispatchCommand;
import io.raylane.topics.events.NodeObserved;
import io.raylane.topics.events.SubmitToRay;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.condition.EmbeddedKafkaCondition;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Exactly once under failure, on a real broker: the scheduler runs in a child JVM with a
 * long commit interval, dispatches jobs (their SubmitToRay records are written, inside an
 * open transaction), and is killed with SIGKILL before it commits (the test checks that a
 * read_committed reader saw none of them yet). Restarted on the same state directory, it
 * must dispatch every job exactly once as a read_committed reader (the submitter) sees
 * it: none twice, none lost.
 */
@Tag("slow")
@EmbeddedKafka(brokerProperties = { "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1" })
class CrashRecoveryTest {

	private static final int JOBS = 6;

	@TempDir
	Path stateDir;

	private Process child;

	@AfterEach
	void killChild() throws InterruptedException {
		if (this.child != null && this.child.isAlive()) {
			this.child.destroyForcibly().waitFor();
		}
	}

	@Test
	void shouldDispatchEveryJobExactlyOnceWhenKilledBetweenProcessingAndCommit() throws Exception {
		String bootstrap = broker().getBrokersAsString();
		TopicCreator.ensureTopics(bootstrap, (short) 1);
		UsageTopic.ensure(bootstrap, "raylane-scheduler", (short) 1);
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
				new ByteArraySerializer());
				KafkaConsumer<String, byte[]> uncommitted = consumer(bootstrap, "read_uncommitted");
				KafkaConsumer<String, byte[]> committed = consumer(bootstrap, "read_committed")) {
			// 1. a scheduler committing every 15 s: the inputs are written, as Raylane's
			// writers do, to the partition that owns their pool, so the pool processor
			// dispatches the jobs in the transaction that reads them, open for the next
			// 15 s
			this.child = start(bootstrap, 15_000);
			send(producer, Topics.NODE_EVENTS, "n1",
					new NodeObserved(1, "n1", "127.10.0.1", "default", true, 8 * JOBS, Map.of(), Instant.now()));
			for (int i = 1; i <= JOBS; i++) {
				send(producer, Topics.JOB_COMMANDS, "rl-" + i,
						Jobs.aJob("rl-" + i).gang(1, 8).acceptedAt(Instant.now()).submit());
			}
			// 2. its dispatches are written but uncommitted: visible to read_uncommitted
			// only
			List<SubmitToRay> written = new ArrayList<>();
			await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
				written.addAll(submissions(uncommitted));
				assertThat(written).hasSize(JOBS);
			});
			assertThat(submissions(committed)).isEmpty();

			// 3. crash: SIGKILL, no close, no commit
			this.child.destroyForcibly().waitFor();

			// 4. restart on the same state directory, committing often; a marker job
			// shows it is processing
			this.child = start(bootstrap, 100);
			send(producer, Topics.JOB_COMMANDS, "rl-marker",
					Jobs.aJob("rl-marker").gang(1, 0).acceptedAt(Instant.now()).submit());
			List<SubmitToRay> seen = new ArrayList<>();
			await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
				seen.addAll(submissions(committed));
				assertThat(seen).extracting(SubmitToRay::jobId).contains("rl-marker");
			});
			List<String> ids = seen.stream().map(SubmitToRay::jobId).filter((id) -> !id.equals("rl-marker")).toList();
			assertThat(ids).hasSize(JOBS).doesNotHaveDuplicates();
			assertThat(ids).containsExactlyInAnyOrderElementsOf(
					IntStream.rangeClosed(1, JOBS).mapToObj((i) -> "rl-" + i).toList());
		}
	}

	private Process start(String bootstrap, long commitMs) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				CrashableScheduler.class.getName(), bootstrap, this.stateDir.toString(), Long.toString(commitMs))
			.redirectErrorStream(true)
			.redirectOutput(Path.of("target", "crash-child-" + commitMs + ".log").toFile())
			.start();
	}

	private static KafkaConsumer<String, byte[]> consumer(String bootstrap, String isolation) {
		KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
						"earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation),
				new StringDeserializer(), new ByteArrayDeserializer());
		consumer.assign(IntStream.range(0, Topics.DEFAULT_PARTITIONS)
			.mapToObj((p) -> new TopicPartition(Topics.DISPATCH.name(), p))
			.toList());
		return consumer;
	}

	private static List<SubmitToRay> submissions(KafkaConsumer<String, byte[]> consumer) {
		List<SubmitToRay> result = new ArrayList<>();
		consumer.poll(Duration.ofMillis(200)).forEach((record) -> {
			DispatchCommand command = Topics.DISPATCH.valueSerde()
				.deserializer()
				.deserialize(record.topic(), record.value());
			if (command instanceof SubmitToRay submit) {
				result.add(submit);
			}
		});
		return result;
	}

	@SuppressWarnings("unchecked")
	private static <V> void send(KafkaProducer<String, byte[]> producer, Topic<String, V> topic, String key,
			Object value) throws Exception {
		producer
			.send(new ProducerRecord<>(topic.name(), PoolPartitions.of("default", Topics.DEFAULT_PARTITIONS), key,
					topic.valueSerde().serializer().serialize(topic.name(), (V) value)))
			.get();
	}

	private static EmbeddedKafkaBroker broker() {
		return EmbeddedKafkaCondition.getBroker();
	}

}
