package io.raylane.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import io.raylane.deploy.broker.BrokerSpec;
import io.raylane.deploy.broker.EmbeddedKafkaBroker;
import io.raylane.deploy.broker.ProductionAcls;
import io.raylane.topics.Jobs;
import io.raylane.topics.Topic;
import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.events.AuditEvent;
import io.raylane.topics.events.JobCommand;
import io.raylane.topics.events.StopJob;
import io.raylane.topics.events.SubmitJob;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Direct producers act only as themselves (issue 12, item 10), shown on a broker with
 * SASL/PLAIN and ACLs switched on: Raylane's services all connect as {@code raylane} with
 * the production ACLs of docs/topics.md ({@link ProductionAcls}), alice and bob each as
 * themselves. Bob cannot write alice's request topic nor {@code raylane.job-commands}; on
 * his own topic, a submission naming alice and any stop of alice's job are refused with a
 * dead letter and an audit record; alice's request runs as hers, accepted when the broker
 * got it rather than at the {@code accepted_at} she wrote, and her own stop stops it.
 */
@Tag("slow")
class DirectProducerAclTest {

	static final Duration WAIT = Duration.ofSeconds(120);

	static final BrokerSpec.Sasl SASL = new BrokerSpec.Sasl("admin",
			Map.of("admin", "admin-secret", "raylane", "raylane-secret", "alice", "alice-secret", "bob", "bob-secret"));

	static final Instant LONG_AGO = Instant.parse("2020-01-01T00:00:00Z");

	@TempDir
	static Path root;

	static EmbeddedKafkaBroker broker;

	static LocalStack stack;

	static RaylaneClient aliceApi;

	static RaylaneClient bobApi;

	@BeforeAll
	static void startSecuredBrokerAndStack() throws Exception {
		int port = EmbeddedKafkaBroker.freePort();
		int controllerPort = EmbeddedKafkaBroker.freePort();
		while (controllerPort == port) {
			controllerPort = EmbeddedKafkaBroker.freePort();
		}
		broker = EmbeddedKafkaBroker.start(root.resolve("kafka"),
				BrokerSpec.single(port, controllerPort).withSasl(SASL), null);
		try (Admin admin = Admin.create(connection("admin"))) {
			admin.createAcls(ProductionAcls.of("raylane", List.of("alice", "bob"))).all().get();
		}
		// every service connects as raylane (spring.kafka.properties.* reach each of its
		// clients); one broker, so one replica
		Map<String, Object> properties = new HashMap<>();
		SASL.clientProperties("raylane")
			.forEach((key, value) -> properties.put("spring.kafka.properties." + key, value));
		properties.put("raylane.kafka.replication-factor", "1");
		stack = LocalStack.start(LocalStackSettings.forTest(root).withKafkaBootstrap(broker.bootstrapServers()),
				properties);
		Map<String, String> tokens = RaylaneClient.devTokens(stack.settings().dataDir());
		aliceApi = new RaylaneClient(stack.apiUrl(), tokens.get("alice"));
		bobApi = aliceApi.as(tokens.get("bob"));
		aliceApi.awaitHealthy();
	}

	@AfterAll
	static void stop() {
		if (stack != null) {
			stack.close();
		}
		if (broker != null) {
			broker.close();
		}
	}

	@Test
	void shouldLetAProducerSubmitAndStopOnlyAsItsOwnPrincipal() throws Exception {
		String job = "direct-alice-1";
		Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		try (KafkaProducer<String, byte[]> alice = producer("alice");
				KafkaProducer<String, byte[]> bob = producer("bob")) {
			// 1. bob may write neither alice's request topic nor the commands topic
			SubmitJob asAlice = Jobs.aJob("direct-bob-1").user("alice").command("sleep 60").submit();
			assertThatThrownBy(() -> send(bob, Topics.jobRequests("alice"), asAlice))
				.hasCauseInstanceOf(TopicAuthorizationException.class);
			assertThatThrownBy(() -> send(bob, Topics.JOB_COMMANDS, asAlice))
				.hasCauseInstanceOf(TopicAuthorizationException.class);

			// 2. alice's request runs as hers, accepted when the broker got it: the
			// accepted_at she wrote (years ago, to jump the queue) is not taken
			send(alice, Topics.jobRequests("alice"),
					Jobs.aJob(job).user("alice").command("sleep 60").gang(1, 1).acceptedAt(LONG_AGO).submit());
			JsonNode running = aliceApi.awaitStatus(job, WAIT, "RUNNING");
			assertThat(running.get("user").asString()).isEqualTo("alice");
			Instant acceptedAt = Instant.parse(running.get("submitted_at").asString());
			assertThat(acceptedAt).isAfterOrEqualTo(start).isBeforeOrEqualTo(Instant.now());
			SubmitJob forwarded = commands().stream()
				.filter(SubmitJob.class::isInstance)
				.map(SubmitJob.class::cast)
				.filter((c) -> c.jobId().equals(job))
				.findFirst()
				.orElseThrow();
			assertThat(forwarded.user()).isEqualTo("alice");
			assertThat(forwarded.acceptedAt()).isEqualTo(acceptedAt);

			// 3. on his own topic bob can neither submit as alice nor stop her job, as
			// himself or as her
			send(bob, Topics.jobRequests("bob"), asAlice);
			send(bob, Topics.jobRequests("bob"), new StopJob(job, "default", "bob", "user", Instant.now()));
			send(bob, Topics.jobRequests("bob"), new StopJob(job, "default", "alice", "user", Instant.now()));
			List<DeadLetter> refused = await().atMost(WAIT)
				.until(DirectProducerAclTest::refusedFromBob, (letters) -> letters.size() == 3);
			assertThat(refused).extracting(DeadLetter::reason)
				.containsExactly(
						"written to bob's request topic but names user 'alice': a producer acts only as the user of "
								+ "its topic",
						"no job " + job + " of bob", "written to bob's request topic but names by 'alice': a producer "
								+ "acts only as the user of its topic");
			assertThat(bobApi.get("/v1/jobs/direct-bob-1").statusCode()).isEqualTo(404);
			assertThat(aliceApi.get("/v1/jobs/direct-bob-1").statusCode()).isEqualTo(404);
			assertThat(aliceApi.job(job).get("status").asString()).isEqualTo("RUNNING");
			assertThat(commands()).filteredOn(StopJob.class::isInstance).isEmpty();

			// 4. alice's own stop, on her topic, stops it
			send(alice, Topics.jobRequests("alice"), new StopJob(job, null, null, null, null));
			JsonNode stopped = aliceApi.awaitStatus(job, WAIT, "STOPPED");
			assertThat(stopped.get("reason").asString()).contains("alice");
			assertThat(commands()).filteredOn(StopJob.class::isInstance)
				.singleElement()
				.satisfies((stop) -> assertThat(((StopJob) stop).by()).isEqualTo("alice"));
		}
		// each request is audited, with the topic it came from
		assertThat(audit()).filteredOn((e) -> e.remote() != null && e.remote().startsWith("kafka:"))
			.extracting((e) -> e.user() + " " + e.action() + " " + e.outcome().replaceAll(":.*", ""))
			.containsExactlyInAnyOrder("alice submit_job accepted", "bob submit_job refused", "bob stop_job refused",
					"bob stop_job refused", "alice stop_job accepted");
	}

	private static KafkaProducer<String, byte[]> producer(String user) {
		Map<String, Object> config = connection(user);
		config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
		config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
		config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
		return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
	}

	/** Produces and waits for the broker's answer: an ACL refusal is the cause. */
	private static void send(KafkaProducer<String, byte[]> producer, Topic<String, JobCommand> topic,
			JobCommand command) throws InterruptedException, ExecutionException {
		byte[] value = topic.valueSerde().serializer().serialize(topic.name(), command);
		producer.send(new ProducerRecord<>(topic.name(), command.jobId(), value)).get();
	}

	private static Map<String, Object> connection(String user) {
		Map<String, Object> config = new HashMap<>(SASL.clientProperties(user));
		config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
		return config;
	}

	private static List<JobCommand> commands() {
		return read(Topics.JOB_COMMANDS);
	}

	private static List<DeadLetter> refusedFromBob() {
		return read(Topics.DEAD_LETTERS).stream()
			.filter((l) -> l.topic().equals(Topics.jobRequests("bob").name()))
			.toList();
	}

	private static List<AuditEvent> audit() {
		return read(Topics.AUDIT);
	}

	/** Every record of {@code topic}, read as the broker's super user. */
	private static <V> List<V> read(Topic<String, V> topic) {
		return KafkaProbe.readAll(connection("admin"), topic.name())
			.stream()
			.map((bytes) -> topic.valueSerde().deserializer().deserialize(topic.name(), bytes))
			.toList();
	}

}
