package io.raylane.nodeagent;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.raylane.nodeagent.provision.RecordingShell;
import io.raylane.nodeagent.ssh.RemoteShell;
import io.raylane.nodeagent.ssh.SshSettings;
import io.raylane.topics.TestConsumers;
import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.events.DecommissionNode;
import io.raylane.topics.events.NodeEvent;
import io.raylane.topics.events.ProvisionFailed;
import io.raylane.topics.events.ProvisionNode;
import io.raylane.topics.events.Provisioned;
import io.raylane.topics.node.NodeSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The node agent as it runs (its own config file, transactional listener) on a real
 * embedded KRaft broker, with the SSH shell replaced by a recording fake: a command in,
 * its event out; garbage dead-lettered.
 */
@Tag("slow")
@SpringBootTest(classes = NodeAgentApplication.class,
		properties = { "spring.config.name=" + NodeAgentApplication.CONFIG_NAME,
				"raylane.ray.address=http://127.10.0.1:8265", "raylane.kafka.replication-factor=1" })
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers",
		brokerProperties = { "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
				"group.initial.rebalance.delay.ms=0" })
@Import(NodeAgentKafkaTest.FakeShell.class)
class NodeAgentKafkaTest {

	@TestConfiguration
	static class FakeShell {

		@Bean
		@Primary
		RecordingShell recordingShell() {
			return new RecordingShell();
		}

	}

	@Autowired
	EmbeddedKafkaBroker broker;

	@Autowired
	RecordingShell shell;

	@Autowired
	RemoteShell remoteShell;

	@Autowired
	SshSettings sshSettings;

	@Test
	void shouldDefaultTheSshSettingsToTheUsersSshDirectoryInStrictMode() {
		Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
		assertThat(this.sshSettings.keyDir()).isEqualTo(ssh);
		assertThat(this.sshSettings.knownHosts()).isEqualTo(ssh.resolve("known_hosts"));
		assertThat(this.sshSettings.defaultKey()).isEqualTo(ssh.resolve("id_ed25519"));
		assertThat(this.sshSettings.acceptNewHostKeys()).isFalse();
	}

	KafkaProducer<String, byte[]> producer;

	KafkaConsumer<String, byte[]> consumer;

	final List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();

	@BeforeEach
	void connect() {
		this.producer = new KafkaProducer<>(KafkaTestUtils.producerProps(this.broker), new StringSerializer(),
				new ByteArraySerializer());
		// the service writes in transactions or idempotently: read what was committed
		this.consumer = TestConsumers.readCommitted(this.broker.getBrokersAsString(),
				List.of(Topics.NODE_EVENTS.name(), Topics.DEAD_LETTERS.name()));
	}

	@AfterEach
	void disconnect() {
		this.producer.close();
		this.consumer.close();
	}

	@Test
	void shouldProvisionANodeAndPublishProvisioned() {
		NodeSpec spec = new NodeSpec("gpu-1", "127.10.0.7", 22, "ray", "default", Map.of(), 4, null);
		send("gpu-1",
				Topics.NODE_COMMANDS.valueSerde()
					.serializer()
					.serialize("t", new ProvisionNode(1, "gpu-1", "default", spec, 1, Instant.now())));

		NodeEvent event = awaitEvent("gpu-1");

		assertThat(this.remoteShell).isSameAs(this.shell);
		assertThat(event).isInstanceOf(Provisioned.class);
		assertThat(this.shell.commands()).anySatisfy((c) -> assertThat(c)
			.startsWith("127.10.0.7: 'ray' 'start' '--address=127.10.0.1:6379' '--num-gpus=4'"));
	}

	@Test
	void shouldPublishProvisionFailedForAHostileSpecWithoutRunningAnything() {
		int before = this.shell.commands().size();
		NodeSpec spec = new NodeSpec("gpu-2", "x;touch /tmp/pwned", 22, "ray", "default", Map.of(), 4, null);
		send("gpu-2",
				Topics.NODE_COMMANDS.valueSerde()
					.serializer()
					.serialize("t", new ProvisionNode(1, "gpu-2", "default", spec, 1, Instant.now())));

		NodeEvent event = awaitEvent("gpu-2");

		assertThat(event).isInstanceOfSatisfying(ProvisionFailed.class,
				(f) -> assertThat(f.reason()).contains("invalid NodeSpec"));
		assertThat(this.shell.commands()).hasSize(before);
	}

	@Test
	void shouldDeadLetterAnUnreadableCommandAndCarryOn() {
		send("junk", "{not json".getBytes());

		ConsumerRecord<String, byte[]> letter = await("dead letter").atMost(Duration.ofSeconds(30)).until(() -> {
			poll();
			return this.received.stream()
				.filter((r) -> r.topic().equals(Topics.DEAD_LETTERS.name()) && "junk".equals(r.key()))
				.findFirst()
				.orElse(null);
		}, (r) -> r != null);
		DeadLetter dead = Topics.DEAD_LETTERS.valueSerde().deserializer().deserialize("t", letter.value());
		assertThat(dead.topic()).isEqualTo(Topics.NODE_COMMANDS.name());
		assertThat(dead.consumer()).isEqualTo("raylane-node-agent");
	}

	/**
	 * Issue 12's fault campaign: the JSON literal null was dropped without a dead letter.
	 * It is dead-lettered, and the next command is carried out.
	 */
	@Test
	void shouldDeadLetterAJsonNullAndCarryOn() {
		send("null-1", "null".getBytes());
		NodeSpec spec = new NodeSpec("gpu-4", "127.10.0.7", 22, "ray", "default", Map.of(), 4, null);
		send("gpu-4",
				Topics.NODE_COMMANDS.valueSerde()
					.serializer()
					.serialize("t", new ProvisionNode(1, "gpu-4", "default", spec, 1, Instant.now())));

		assertThat(awaitDeadLetter("null-1").reason()).contains("JSON null");
		assertThat(awaitEvent("gpu-4")).isInstanceOf(Provisioned.class);
	}

	/**
	 * A readable command whose handling keeps throwing: redelivered, then dead-lettered
	 * with the cause (the container's default only logged it), and the listener goes on.
	 */
	@Test
	void shouldDeadLetterACommandWhoseHandlingKeepsFailing() {
		for (int attempt = 0; attempt <= NodeAgentConfiguration.REDELIVERIES; attempt++) {
			// ray stop fails, then the forced stop breaks in a way no handler expects
			this.shell.thenExit(1, "", "ray stop failed").then(() -> {
				throw new IllegalStateException("the shell broke");
			});
		}
		NodeSpec spec = new NodeSpec("gpu-5", "127.10.0.7", 22, "ray", "default", Map.of(), 4, null);
		send("gpu-5",
				Topics.NODE_COMMANDS.valueSerde()
					.serializer()
					.serialize("t", new DecommissionNode(1, "gpu-5", "default", spec, Instant.now())));

		DeadLetter dead = awaitDeadLetter("gpu-5");

		assertThat(dead.reason()).isEqualTo("gave up after redeliveries: IllegalStateException: the shell broke");
		assertThat(this.received)
			.noneMatch((r) -> r.topic().equals(Topics.NODE_EVENTS.name()) && "gpu-5".equals(r.key()));
		NodeSpec next = new NodeSpec("gpu-6", "127.10.0.7", 22, "ray", "default", Map.of(), 4, null);
		send("gpu-6",
				Topics.NODE_COMMANDS.valueSerde()
					.serializer()
					.serialize("t", new ProvisionNode(1, "gpu-6", "default", next, 1, Instant.now())));
		assertThat(awaitEvent("gpu-6")).isInstanceOf(Provisioned.class);
	}

	private DeadLetter awaitDeadLetter(String key) {
		ConsumerRecord<String, byte[]> letter = await("dead letter of " + key).atMost(Duration.ofSeconds(30))
			.until(() -> {
				poll();
				return this.received.stream()
					.filter((r) -> r.topic().equals(Topics.DEAD_LETTERS.name()) && key.equals(r.key()))
					.findFirst()
					.orElse(null);
			}, (r) -> r != null);
		return Topics.DEAD_LETTERS.valueSerde().deserializer().deserialize("t", letter.value());
	}

	private void send(String key, byte[] value) {
		this.producer.send(new ProducerRecord<>(Topics.NODE_COMMANDS.name(), key, value));
		this.producer.flush();
	}

	private NodeEvent awaitEvent(String nodeId) {
		ConsumerRecord<String, byte[]> record = await("event of " + nodeId).atMost(Duration.ofSeconds(30)).until(() -> {
			poll();
			return this.received.stream()
				.filter((r) -> r.topic().equals(Topics.NODE_EVENTS.name()) && nodeId.equals(r.key()))
				.findFirst()
				.orElse(null);
		}, (r) -> r != null);
		return Topics.NODE_EVENTS.valueSerde().deserializer().deserialize("t", record.value());
	}

	private void poll() {
		this.consumer.poll(Duration.ofMillis(200)).forEach(this.received::add);
	}

}
