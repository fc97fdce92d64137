package io.raylane.observer;

import io.raylane.topics.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import io.raylane.observer.observe.RayPoller;
import io.raylane.observer.publish.ObserverFencedException;
import io.raylane.observer.publish.PollBatch;
import io.raylane.raystandin.fixture.FakeRayHeadFixture;
import io.raylane.topics.Topic;
import io.raylane.topics.TopicCreator;
import io.raylane.topics.Topics;
import io.raylane.topics.events.Alert;
import io.raylane.topics.events.GpuUsage;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.RayObservation;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Exactly-once accounting on a real embedded KRaft broker: a poll's records become
 * visible to read_committed readers only with its commit; an observer that crashes
 * mid-transaction and its successor (same transactional id) together write each
 * accounting id once; a restart writes no duplicates and does not re-raise an alerted
 * idle episode. Ray is the fixture head over HTTP, the GPUs are node fixtures; the clock
 * is moved by hand.
 */
@Tag("slow")
class ObserverExactlyOnceKafkaTest {

	static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	static final long P = ObserverInstance.PERIOD.toMillis();

	static EmbeddedKafkaKraftBroker broker;

	final FakeRayHeadFixture ray = new FakeRayHeadFixture();

	final TestClock clock = new TestClock(T0);

	final List<AutoCloseable> closing = new ArrayList<>();

	@BeforeAll
	static void startBroker() throws Exception {
		broker = new EmbeddedKafkaKraftBroker(1, 1);
		broker.brokerProperties(Map.of("transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr",
				"1", "transaction.state.log.num.partitions", "1", "group.initial.rebalance.delay.ms", "0"));
		broker.afterPropertiesSet();
		TopicCreator.ensureTopics(broker.getBrokersAsString(), (short) 1);
	}

	@AfterAll
	static void stopBroker() {
		broker.destroy();
	}

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable c : this.closing) {
			c.close();
		}
		this.ray.close();
	}

	@Test
	void shouldMakeAPollsRecordsVisibleOnlyWhenItsTransactionCommits() {
		this.ray.putJob(Rays.gpuJob("a-1", 8, T0.toEpochMilli(), "RUNNING", null));
		this.ray
			.putJob(Rays.gpuJob("a-2", 2, T0.toEpochMilli() + 1234, "SUCCEEDED", T0.toEpochMilli() + 1234 + P + 500));
		AtomicBoolean loseCommit = new AtomicBoolean(true);
		ObserverInstance observer = open(new ObserverInstance(bootstrap(), this.ray.address(), this.clock, null,
				() -> new KafkaProducer<>(ObserverInstance.producerConfig(bootstrap(), "tx-a")) {
					@Override
					public void commitTransaction() {
						if (loseCommit.getAndSet(false)) {
							flush();
							throw new KafkaException("simulated: the commit did not make it");
						}
						super.commitTransaction();
					}
				}));
		this.clock.set(T0.plusMillis(2 * P + P / 2));

		RayPoller.Report failed = observer.poller.pollOnce();

		assertThat(failed).isEqualTo(new RayPoller.Report(0, 0, 0, 0));
		assertThat(ids(read(Topics.ACCOUNTING, "read_uncommitted"), "a-")).as("sent, then aborted")
			.containsExactly("a-1/0", "a-1/1", "a-2/0", "a-2/1");
		assertThat(read(Topics.ACCOUNTING, "read_committed")).noneMatch((u) -> u.jobId().startsWith("a-"));
		assertThat(jobIds(read(Topics.RAY_OBSERVATIONS, "read_committed"))).doesNotContain("a-1", "a-2");

		RayPoller.Report retried = observer.poller.pollOnce();

		assertThat(retried).isEqualTo(new RayPoller.Report(2, 0, 4, 0));
		List<GpuUsage> committed = of(read(Topics.ACCOUNTING, "read_committed"), "a-");
		assertThat(ids(committed, "a-")).containsExactly("a-1/0", "a-1/1", "a-2/0", "a-2/1");
		assertThat(committed).filteredOn(GpuUsage::isFinal).extracting(GpuUsage::id).containsExactly("a-2/1");
		assertThat(jobIds(read(Topics.RAY_OBSERVATIONS, "read_committed"))).contains("a-1", "a-2");
		assertThat(observer.poller.pollOnce()).isEqualTo(new RayPoller.Report(0, 0, 0, 0));
	}

	@Test
	void shouldAccountEachIntervalExactlyOnceWhenAnObserverCrashesMidTransaction() {
		long t0 = T0.toEpochMilli();
		this.ray.putJob(Rays.gpuJob("b-1", 8, t0, "RUNNING", null));
		this.ray.putJob(Rays.gpuJob("b-2", 2, t0 + 1234, "RUNNING", null));
		this.ray.putJob(Rays.gpuJob("b-3", 4, t0 + 99, "RUNNING", null));
		AtomicBoolean crash = new AtomicBoolean(false);
		ObserverInstance first = open(new ObserverInstance(bootstrap(), this.ray.address(), this.clock, null,
				() -> new KafkaProducer<>(ObserverInstance.producerConfig(bootstrap(), "tx-b")) {
					@Override
					public void commitTransaction() {
						if (crash.get()) {
							// the process dies here: records sent, transaction open,
							// nobody aborts it
							flush();
							throw new SimulatedCrash();
						}
						super.commitTransaction();
					}
				}));
		this.clock.set(T0.plusMillis(2 * P + P / 2));
		first.poller.pollOnce();
		this.ray.putJob(Rays.gpuJob("b-2", 2, t0 + 1234, "SUCCEEDED", t0 + 3 * P + 700));
		this.clock.set(T0.plusMillis(4 * P + P / 5));
		crash.set(true);
		assertThatThrownBy(first.poller::pollOnce).isInstanceOf(SimulatedCrash.class);

		ObserverInstance second = open(new ObserverInstance(bootstrap(), "tx-b", this.ray.address(), this.clock, null));
		second.poller.pollOnce();
		this.ray.putJob(Rays.gpuJob("b-1", 8, t0, "STOPPED", t0 + 5 * P + 17));
		this.ray.putJob(Rays.gpuJob("b-3", 4, t0 + 99, "FAILED", t0 + 6 * P));
		this.clock.set(T0.plusMillis(7 * P));
		second.poller.pollOnce();
		second.poller.pollOnce();

		List<String> everSent = ids(read(Topics.ACCOUNTING, "read_uncommitted"), "b-");
		List<GpuUsage> committed = of(read(Topics.ACCOUNTING, "read_committed"), "b-");
		assertThat(everSent).as("the crashed transaction's records are in the log, aborted")
			.hasSizeGreaterThan(committed.size());
		assertThat(committed).extracting(GpuUsage::id).doesNotHaveDuplicates();
		assertExact(committed,
				Map.of("b-1", 8L * (5 * P + 17), "b-2", 2L * (3 * P + 700 - 1234), "b-3", 4L * (6 * P - 99)));
		assertThat(second.restored.positions()).containsKeys("b-1", "b-2", "b-3");
	}

	@Test
	void shouldFenceTheOlderObserverWhenASecondOneStarts() {
		this.ray.putJob(Rays.gpuJob("c-1", 1, T0.toEpochMilli(), "RUNNING", null));
		ObserverInstance older = open(new ObserverInstance(bootstrap(), "tx-c", this.ray.address(), this.clock, null));
		this.clock.set(T0.plusMillis(P + 1));
		older.poller.pollOnce();

		open(new ObserverInstance(bootstrap(), "tx-c", this.ray.address(), this.clock, null));
		this.clock.set(T0.plusMillis(2 * P + 1));

		assertThatThrownBy(() -> {
			older.poller.pollOnce();
			older.poller.pollOnce();
		}).isInstanceOf(ObserverFencedException.class);
		assertThat(older.publisher.fenced()).isTrue();
		assertThatThrownBy(() -> older.publisher.publish(
				new PollBatch(List.of(), List.of(), of(read(Topics.ACCOUNTING, "read_committed"), "c-"), List.of())))
			.isInstanceOf(ObserverFencedException.class);
	}

	@Test
	void shouldWriteNoDuplicatesAndNotReRaiseAnAlertedIdleEpisodeAfterARestart() {
		long t0 = T0.toEpochMilli();
		try (var idleNode = new io.raylane.observer.gpu.NodeMetricsFixture("127.0.0.2", 0);
				var busyNode = new io.raylane.observer.gpu.NodeMetricsFixture("127.0.0.3", idleNode.port())) {
			idleNode.allGpus(8, 0.0);
			busyNode.allGpus(8, 90.0);
			this.ray.putNode(Rays.worker("w1", "127.0.0.2", "default", 8, true));
			this.ray.putNode(Rays.worker("w2", "127.0.0.3", "default", 8, true));
			this.ray.putJob(Rays.gpuJob("d-idle", 8, t0, "RUNNING", null, "127.0.0.2"));
			this.ray.putJob(Rays.gpuJob("d-busy", 4, t0, "RUNNING", null, "127.0.0.3"));
			ObserverInstance first = open(
					new ObserverInstance(bootstrap(), "tx-d", this.ray.address(), this.clock, idleNode.port()));
			pollEvery30sUntil(first, T0.plus(Duration.ofMinutes(4)));
			first.close();
			List<GpuUsage> beforeRestart = of(read(Topics.ACCOUNTING, "read_committed"), "d-");

			ObserverInstance second = open(
					new ObserverInstance(bootstrap(), "tx-d", this.ray.address(), this.clock, idleNode.port()));
			second.poller.pollOnce();
			pollEvery30sUntil(second, T0.plus(Duration.ofMinutes(8)));

			List<GpuUsage> committed = of(read(Topics.ACCOUNTING, "read_committed"), "d-");
			List<Alert> alerts = read(Topics.ALERTS, "read_committed").stream()
				.filter((a) -> a.subject().startsWith("d-"))
				.toList();
			assertThat(beforeRestart).extracting(GpuUsage::id).contains("d-idle/3", "d-busy/3");
			assertThat(committed).extracting(GpuUsage::id).doesNotHaveDuplicates().contains("d-idle/7");
			assertThat(committed).filteredOn((u) -> u.jobId().equals("d-idle"))
				.allSatisfy((u) -> assertThat(u.avgGpuUtilization()).isEqualTo(0.0));
			assertThat(committed).filteredOn((u) -> u.jobId().equals("d-busy"))
				.allSatisfy((u) -> assertThat(u.avgGpuUtilization()).isEqualTo(90.0));
			assertThat(alerts).singleElement().satisfies((a) -> {
				assertThat(a.id()).isEqualTo("gpu_idle/d-idle/" + T0.plusSeconds(30).toEpochMilli());
				assertThat(a.raisedAt()).isEqualTo(T0.plusSeconds(210));
				assertThat(a.evidence()).containsEntry("node_ips", List.of("127.0.0.2"));
			});
			assertThat(second.restored.idleEpisodes()).containsEntry("d-idle", T0.plusSeconds(30));
			assertThat(second.restored.latestAlerts()).filteredOn((a) -> a.subject().startsWith("d-"))
				.extracting(Alert::id)
				.containsExactly("gpu_idle/d-idle/" + T0.plusSeconds(30).toEpochMilli());
			// the restarted observer still exports the alert as active (its job stays
			// idle)
			assertThat(second.registry.get("raylane.alert.active")
				.tag("kind", "gpu_idle")
				.tag("job_id", "d-idle")
				.tag("node", "127.0.0.2")
				.gauge()
				.value()).isEqualTo(1.0);
			assertThat(second.registry.get("raylane.job.gpu.idle").tag("job_id", "d-idle").gauge().value())
				.isEqualTo(1.0);
			assertThat(second.registry.get("raylane.job.gpu.idle").tag("job_id", "d-busy").gauge().value())
				.isEqualTo(0.0);
		}
	}

	/**
	 * An Error, not an exception: nothing in the observer handles it, as nothing runs
	 * after a kill -9.
	 */
	static final class SimulatedCrash extends Error {

		SimulatedCrash() {
			super("simulated crash before commit");
		}

	}

	void pollEvery30sUntil(ObserverInstance observer, Instant until) {
		while (this.clock.instant().isBefore(until)) {
			this.clock.advance(Duration.ofSeconds(30));
			observer.poller.pollOnce();
		}
	}

	static void assertExact(List<GpuUsage> committed, Map<String, Long> wantMilliGpuSeconds) {
		Map<String, List<GpuUsage>> byJob = committed.stream().collect(Collectors.groupingBy(GpuUsage::jobId));
		assertThat(byJob).containsOnlyKeys(wantMilliGpuSeconds.keySet());
		byJob.forEach((job, records) -> {
			assertThat(records.stream().mapToLong((u) -> Math.round(u.gpuSeconds() * 1000)).sum()).as(job)
				.isEqualTo(wantMilliGpuSeconds.get(job));
			assertThat(records).as(job)
				.extracting(GpuUsage::intervalIndex)
				.containsExactlyElementsOf(java.util.stream.LongStream.range(0, records.size()).boxed().toList());
			assertThat(records).as(job).filteredOn(GpuUsage::isFinal).hasSize(1);
			assertThat(records.get(records.size() - 1).isFinal()).as(job).isTrue();
		});
	}

	<T extends AutoCloseable> T open(T closeable) {
		this.closing.add(closeable);
		return closeable;
	}

	static String bootstrap() {
		return broker.getBrokersAsString();
	}

	static <V> List<V> read(Topic<String, V> topic, String isolation) {
		return readAll(bootstrap(), topic, isolation);
	}

	static List<String> ids(List<GpuUsage> usages, String prefix) {
		return of(usages, prefix).stream().map(GpuUsage::id).sorted().toList();
	}

	static List<GpuUsage> of(List<GpuUsage> usages, String prefix) {
		return usages.stream()
			.filter((u) -> u.jobId().startsWith(prefix))
			.sorted(java.util.Comparator.comparing(GpuUsage::jobId).thenComparing(GpuUsage::intervalIndex))
			.toList();
	}

	static List<String> jobIds(List<RayObservation> observations) {
		return observations.stream().map((o) -> ((JobObserved) o).jobId()).toList();
	}

	/**
	 * Everything on the topic, from the beginning to its end, at the given isolation
	 * level, once every transaction on it is complete: commitTransaction() and
	 * abortTransaction() return before the coordinator has written the markers, so until
	 * then a read_committed reader would stop short of the last transaction.
	 */
	static <V> List<V> readAll(String bootstrap, Topic<String, V> topic, String isolation) {
		try (KafkaConsumer<String, byte[]> committed = consumer(bootstrap, "read_committed");
				KafkaConsumer<String, byte[]> uncommitted = consumer(bootstrap, "read_uncommitted");
				KafkaConsumer<String, byte[]> consumer = consumer(bootstrap, isolation)) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic.name())
				.stream()
				.map((p) -> new TopicPartition(topic.name(), p.partition()))
				.toList();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> committed.endOffsets(partitions).equals(uncommitted.endOffsets(partitions)));
			List<V> values = new ArrayList<>();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			while (end.entrySet().stream().anyMatch((e) -> consumer.position(e.getKey()) < e.getValue())) {
				for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
					values.add(topic.valueSerde().deserializer().deserialize(r.topic(), r.value()));
				}
			}
			return values;
		}
	}

	static KafkaConsumer<String, byte[]> consumer(String bootstrap, String isolation) {
		Map<String, Object> config = new HashMap<>();
		config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
	}

}
