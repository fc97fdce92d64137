package io.raylane.observer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.raylane.observer.observe.RayPoller;
import io.raylane.raystandin.fixture.FakeRayHeadFixture;
import io.raylane.topics.TestConsumers;
import io.raylane.topics.Topics;
import io.raylane.topics.events.JobLost;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.NodeObserved;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The observer as it runs (its own config file; the schedule's first poll at start-up) on
 * a real embedded KRaft broker, polling the fixture head; the jobs Raylane dispatched are
 * written to {@code raylane.job-states} as the scheduler would, and a job that only
 * claims one of them (issue 12) is ignored. Later polls are driven by the test through
 * {@link RayPoller#pollOnce()} (the interval is an hour), and "nothing published" is read
 * from the topics' end offsets, so no test waits for time to pass.
 */
@Tag("slow")
@SpringBootTest(classes = ObserverApplication.class,
		properties = { "spring.config.name=" + ObserverApplication.CONFIG_NAME, "raylane.observer.poll-interval=1h",
				"raylane.kafka.replication-factor=1",
				// the issue's environment names, mapped in raylane-observer.yaml
				// (placeholders read any property source)
				"RAYLANE_ACCOUNTING_INTERVAL=7m", "RAYLANE_IDLE_GPU_WINDOW=20m", "RAYLANE_IDLE_GPU_THRESHOLD=3",
				"raylane.observer.lost-job-grace=1s" })
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers",
		brokerProperties = { "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
				"transaction.state.log.num.partitions=1", "group.initial.rebalance.delay.ms=0" })
class ObserverKafkaTest {

	static final FakeRayHeadFixture RAY = startRay();

	@Autowired
	EmbeddedKafkaBroker broker;

	@Autowired
	RayPoller poller;

	@Autowired
	ObserverProperties properties;

	@Autowired
	org.springframework.boot.health.contributor.HealthIndicator observerPublishing;

	@Autowired
	io.micrometer.core.instrument.MeterRegistry registry;

	KafkaConsumer<String, byte[]> consumer;

	final List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();

	static FakeRayHeadFixture startRay() {
		FakeRayHeadFixture ray = new FakeRayHeadFixture();
		ray.putJob(Rays.raylaneJob("j1", "default"));
		ray.putJob(Rays.foreignJob("someone-elses"));
		ray.putJob(Rays.driverJob("01000000"));
		// issue 12: someone else's failed job claiming j1, under its own submission id
		ray.putJob(Rays.impostor("evil-1", "j1", "FAILED", 1735700000500L));
		ray.putNode(Rays.head("head"));
		ray.putNode(Rays.worker("w1", "127.10.0.2", "default", 8, true));
		ray.putNode(Rays.worker("w2", "127.10.0.3", "a100", 4, true));
		return ray;
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("raylane.ray.address", RAY::address);
	}

	static boolean dispatched;

	/**
	 * The scheduler's part: j1 and g1 are jobs Raylane dispatched, as
	 * {@code raylane.job-states} says (every poll reads it to its end first).
	 */
	@BeforeEach
	void dispatch() throws Exception {
		if (dispatched) {
			return;
		}
		dispatched = true;
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, this.broker.getBrokersAsString()),
				new StringSerializer(), new ByteArraySerializer())) {
			for (String id : List.of("j1", "g1")) {
				byte[] view = Topics.JOB_STATES.valueSerde()
					.serializer()
					.serialize(Topics.JOB_STATES.name(), Attributions.dispatchedView(id, "alice", "default"));
				producer.send(new ProducerRecord<>(Topics.JOB_STATES.name(), id, view)).get();
			}
		}
	}

	@BeforeEach
	void connect() {
		// the service writes in transactions or idempotently: read what was committed
		this.consumer = TestConsumers.readCommitted(this.broker.getBrokersAsString(),
				List.of(Topics.RAY_OBSERVATIONS.name(), Topics.NODE_EVENTS.name()));
	}

	@AfterEach
	void disconnect() {
		this.consumer.close();
	}

	@AfterAll
	static void stopRay() {
		RAY.close();
	}

	@Test
	void shouldPublishOurJobOnlyAndAgainOnlyWhenItChanges() {
		this.poller.pollOnce();
		await().atMost(Duration.ofSeconds(30)).until(() -> !jobs().isEmpty());
		this.poller.pollOnce();
		drain();
		assertThat(jobs()).filteredOn((o) -> !o.jobId().startsWith("g"))
			.allSatisfy((o) -> assertThat(o.jobId()).isEqualTo("j1"));
		long before = written(Topics.RAY_OBSERVATIONS.name());
		assertThat(jobs()).filteredOn((o) -> !o.jobId().startsWith("g"))
			.as("one JobObserved: j1, not the foreign nor the DRIVER job nor the impostor")
			.hasSize(1);
		assertThat(jobs()).extracting(JobObserved::rayStatus).doesNotContain("FAILED");
		assertThat(this.registry.get("raylane.observer.ray.jobs.ignored")
			.tag("reason", "submission_id_mismatch")
			.counter()
			.count()).isEqualTo(1.0);

		RAY.finish("j1", "RUNNING", null, "Job is currently running.");
		assertThat(this.poller.pollOnce().jobsPublished()).isEqualTo(1);
		long afterChange = written(Topics.RAY_OBSERVATIONS.name());
		this.poller.pollOnce();

		assertThat(afterChange).isEqualTo(before + 1);
		assertThat(written(Topics.RAY_OBSERVATIONS.name())).as("no change, no transaction").isEqualTo(afterChange);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> jobs().stream().anyMatch((o) -> "RUNNING".equals(o.rayStatus())));
		JobObserved running = jobs().get(jobs().size() - 1);
		assertThat(running.pool()).isEqualTo("default");
		assertThat(running.driverNodeIp()).isEqualTo("127.10.0.11");
		assertThat(running.message()).isEqualTo("Job is currently running.");
	}

	@Test
	void shouldPublishTheTwoWorkersButNotTheHeadAndAgainOnlyOnChange() {
		await().atMost(Duration.ofSeconds(30)).until(() -> nodes().size() >= 2);
		this.poller.pollOnce();
		drain();
		long before = written(Topics.NODE_EVENTS.name());
		assertThat(nodes()).as("two NodeObserved: the workers, not the head").hasSize(2);
		assertThat(nodes().stream().collect(Collectors.toMap(NodeObserved::nodeId, NodeObserved::pool, (a, b) -> a)))
			.isEqualTo(Map.of("w1", "default", "w2", "a100"));

		this.poller.pollOnce();
		long unchanged = written(Topics.NODE_EVENTS.name());
		RAY.putNode(Rays.worker("w2", "127.10.0.3", "a100", 4, false));
		this.poller.pollOnce();

		assertThat(unchanged).isEqualTo(before);
		assertThat(written(Topics.NODE_EVENTS.name())).isEqualTo(before + 1);
		await().atMost(Duration.ofSeconds(30)).until(() -> nodes().stream().anyMatch((n) -> !n.alive()));
		assertThat(nodes()).filteredOn((n) -> !n.alive())
			.extracting(NodeObserved::nodeId, NodeObserved::gpus)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("w2", 4));
		assertThat(this.received).filteredOn((r) -> r.topic().equals(Topics.NODE_EVENTS.name()))
			.extracting(ConsumerRecord::key)
			.doesNotContain("head");
	}

	@Test
	void shouldPublishAFinishedGpuJobsFinalRecordWithItsObservationInOneTransaction() {
		long start = 1735700000000L;
		RAY.putJob(Rays.gpuJob("g1", 4, start, "SUCCEEDED", start + 1500));

		RayPoller.Report report = this.poller.pollOnce();

		assertThat(report.usagesPublished()).isEqualTo(1);
		List<io.raylane.topics.events.GpuUsage> usages = ObserverExactlyOnceKafkaTest
			.readAll(this.broker.getBrokersAsString(), Topics.ACCOUNTING, "read_committed");
		assertThat(usages).singleElement().satisfies((u) -> {
			assertThat(u.id()).isEqualTo("g1/0");
			assertThat(u.isFinal()).isTrue();
			assertThat(u.gpuSeconds()).isEqualTo(6.0);
			assertThat(u.user()).isEqualTo("alice");
		});
		await().atMost(Duration.ofSeconds(30)).until(() -> jobs().stream().anyMatch((o) -> o.jobId().equals("g1")));
		assertThat(this.poller.pollOnce().usagesPublished()).isZero();
		assertThat(this.registry.get("raylane.user.gpu.seconds").tag("user", "alice").counter().count()).isEqualTo(6.0);
	}

	/**
	 * Issue 11 item 4: the observer reads {@code raylane.job-states}; a job held on Ray
	 * that Ray's list leaves out for the grace (1 s here) is reported lost, once; a held
	 * job Ray lists is not.
	 */
	@Test
	void shouldReportAJobRaylaneHoldsOnRayButRayNoLongerLists() throws Exception {
		try (org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> producer = new org.apache.kafka.clients.producer.KafkaProducer<>(
				Map.of("bootstrap.servers", this.broker.getBrokersAsString()),
				new org.apache.kafka.common.serialization.StringSerializer(),
				new org.apache.kafka.common.serialization.ByteArraySerializer())) {
			for (String id : List.of("lost-1", "j1")) {
				io.raylane.topics.job.JobView view = io.raylane.topics.job.JobView.builder()
					.jobId(id)
					.user("alice")
					.pool("default")
					.status(io.raylane.topics.job.JobStatus.RUNNING)
					.updatedAt(java.time.Instant.now())
					.build();
				producer
					.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.JOB_STATES.name(), id,
							Topics.JOB_STATES.valueSerde().serializer().serialize(Topics.JOB_STATES.name(), view)))
					.get();
			}
		}

		await().atMost(Duration.ofSeconds(60)).until(() -> {
			this.poller.pollOnce();
			return !lost().isEmpty();
		});
		this.poller.pollOnce();
		drain();

		assertThat(lost()).singleElement().satisfies((l) -> {
			assertThat(l.jobId()).isEqualTo("lost-1");
			assertThat(l.pool()).isEqualTo("default");
			assertThat(l.lastStatus()).isEqualTo("RUNNING");
			assertThat(l.observedAt()).isAfterOrEqualTo(l.missingSince().plus(Duration.ofSeconds(1)));
		});
	}

	@Test
	void shouldBindTheIssuesEnvironmentNamesAndReportHealthUp() {
		assertThat(this.properties.accountingInterval()).isEqualTo(Duration.ofMinutes(7));
		assertThat(this.properties.idleGpuWindow()).isEqualTo(Duration.ofMinutes(20));
		assertThat(this.properties.idleGpuThreshold()).isEqualTo(3.0);
		assertThat(this.properties.transactionalId()).isEqualTo("raylane-observer");
		assertThat(this.observerPublishing.health().getStatus().getCode()).isEqualTo("UP");
		assertThat(this.registry.find("raylane.ray.nodes").tag("state", "ALIVE").gauge()).isNotNull();
	}

	List<JobObserved> jobs() {
		return observations(JobObserved.class);
	}

	List<JobLost> lost() {
		return observations(JobLost.class);
	}

	<T> List<T> observations(Class<T> type) {
		poll();
		return this.received.stream()
			.filter((r) -> r.topic().equals(Topics.RAY_OBSERVATIONS.name()))
			.map((r) -> Topics.RAY_OBSERVATIONS.valueSerde().deserializer().deserialize(r.topic(), r.value()))
			.filter(type::isInstance)
			.map(type::cast)
			.toList();
	}

	List<NodeObserved> nodes() {
		poll();
		return this.received.stream()
			.filter((r) -> r.topic().equals(Topics.NODE_EVENTS.name()))
			.map((r) -> (NodeObserved) Topics.NODE_EVENTS.valueSerde().deserializer().deserialize(r.topic(), r.value()))
			.toList();
	}

	/** Reads until the consumer stands at the end of every partition it was given. */
	void drain() {
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			poll();
			return !this.consumer.assignment().isEmpty() && this.consumer.endOffsets(this.consumer.assignment())
				.entrySet()
				.stream()
				.allMatch((e) -> this.consumer.position(e.getKey()) >= e.getValue());
		});
	}

	void poll() {
		this.consumer.poll(Duration.ofMillis(200)).forEach(this.received::add);
	}

	/**
	 * Records ever written to the topic, counted by a read_uncommitted reader: a poll's
	 * records are in the log when its commit returns (the commit markers, which also take
	 * offsets, follow asynchronously, so end offsets would not do).
	 */
	long written(String topic) {
		io.raylane.topics.Topic<String, ?> typed = topic.equals(Topics.NODE_EVENTS.name()) ? Topics.NODE_EVENTS
				: Topics.RAY_OBSERVATIONS;
		return ObserverExactlyOnceKafkaTest.readAll(this.broker.getBrokersAsString(), typed, "read_uncommitted").size();
	}

}
