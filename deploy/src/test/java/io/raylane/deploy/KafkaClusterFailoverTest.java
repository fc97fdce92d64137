package io.raylane.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.raylane.deploy.broker.KafkaCluster;
import io.raylane.topics.Topics;
import io.raylane.topics.events.GpuUsage;
import io.raylane.topics.events.JobObserved;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Raylane on a real three-broker KRaft cluster (issue 12, item 9): the services create
 * every topic with three replicas and {@code min.insync.replicas} 2, then run jobs while
 * one broker is killed with SIGKILL and, once it is back and caught up, the broker
 * leading a partition of {@code raylane.job-commands} is killed too. Every job accepted
 * ends SUCCEEDED, each driver ran once (one line in its marker file), and each job's
 * GPU-seconds on {@code raylane.accounting} are exactly its GPUs × Ray's own run time
 * (Ray's start and end times, as the observer published them).
 */
@Isolated
@Tag("slow")
class KafkaClusterFailoverTest {

	static final Duration WAIT = Duration.ofSeconds(120);

	@TempDir
	static Path root;

	static KafkaCluster cluster;

	static LocalStack stack;

	static RaylaneClient alice;

	private final Map<String, Path> markers = new LinkedHashMap<>();

	@BeforeAll
	static void startClusterAndStack() throws Exception {
		cluster = KafkaCluster.start(root.resolve("kafka"), 3);
		// the production defaults (3 replicas, 2 in sync) are what the services use on a
		// given cluster; accounting intervals of 2 s so that every job crosses several
		stack = LocalStack.start(LocalStackSettings.forTest(root).withKafkaBootstrap(cluster.bootstrapServers()),
				Map.of("raylane.observer.accounting-interval", "2s"));
		alice = new RaylaneClient(stack.apiUrl(), RaylaneClient.devTokens(stack.settings().dataDir()).get("alice"));
		alice.awaitHealthy();
	}

	@AfterAll
	static void stop() {
		if (stack != null) {
			stack.close();
		}
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void shouldLoseNoJobRunNoneTwiceAndAccountExactlyWhileBrokersDie() throws Exception {
		// 1. every topic Raylane created (its own and the scheduler's internal ones) has
		// three replicas and min.insync.replicas 2; the history topics are kept for good
		assertCreatedDurably();

		// 2. jobs run; a broker dies (SIGKILL) while they do, and more are submitted
		// during its absence
		List<String> jobs = new ArrayList<>(submit("before", 6));
		alice.awaitStatus(jobs.get(0), WAIT, "RUNNING", "SUCCEEDED");
		cluster.kill(3);
		jobs.addAll(submit("one-broker-down", 6));

		// 3. it comes back and catches up; then the leader of a job-commands partition
		// dies, with jobs running and more arriving
		cluster.restart(3);
		cluster.awaitFullIsr(WAIT);
		int leader = cluster.leaderOf(Topics.JOB_COMMANDS.name(), 0);
		jobs.addAll(submit("before-leader-dies", 3));
		cluster.kill(leader);
		jobs.addAll(submit("leader-down", 3));

		// 4. no job lost: every accepted job ends, and ends well
		for (String job : jobs) {
			assertThat(alice.awaitStatus(job, WAIT, "SUCCEEDED", "FAILED", "STOPPED", "REJECTED", "TIMED_OUT")
				.get("status")
				.asString()).as(job).isEqualTo("SUCCEEDED");
		}
		// none run twice: each driver started once
		for (Map.Entry<String, Path> marker : this.markers.entrySet()) {
			assertThat(Files.readAllLines(marker.getValue())).as("driver starts of %s", marker.getKey())
				.containsExactly("started");
		}
		// accounting exact: each job's records sum to 1 GPU × Ray's own run time, to the
		// millisecond, with no record twice
		List<GpuUsage> usage = await().atMost(WAIT)
			.until(KafkaClusterFailoverTest::accounting,
					(records) -> records.stream()
						.filter(GpuUsage::isFinal)
						.map(GpuUsage::jobId)
						.collect(Collectors.toSet())
						.containsAll(jobs));
		assertThat(usage).extracting(GpuUsage::id).doesNotHaveDuplicates();
		Map<String, JobObserved> ray = KafkaProbe.endedOnRay(cluster.bootstrapServers());
		for (String job : jobs) {
			double expected = (ray.get(job).endTimeMs() - ray.get(job).startTimeMs()) / 1000.0;
			List<GpuUsage> records = usage.stream().filter((u) -> u.jobId().equals(job)).toList();
			assertThat(records.stream().mapToDouble(GpuUsage::gpuSeconds).sum()).as(job)
				.isCloseTo(expected, within(1e-6));
			assertThat(records).filteredOn(GpuUsage::isFinal).as(job).hasSize(1);
		}
	}

	/** Submits {@code count} one-GPU jobs that each mark their driver's start. */
	private List<String> submit(String phase, int count) throws Exception {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			Path marker = Files.createDirectories(root.resolve("markers")).resolve(phase + "-" + i);
			String id = alice.submitYaml("""
					name: %s-%d
					workload: command
					command: echo started >> "$MARKER"; sleep 3
					resources: {nnodes: 1, n_gpus_per_node: 1}
					timeout: 10m
					env: {MARKER: %s}
					""".formatted(phase, i, marker));
			this.markers.put(id, marker);
			ids.add(id);
		}
		return ids;
	}

	private static void assertCreatedDurably() throws Exception {
		try (Admin admin = cluster.admin()) {
			Set<String> raylane = admin.listTopics()
				.names()
				.get(30, TimeUnit.SECONDS)
				.stream()
				.filter((t) -> t.startsWith("raylane"))
				.collect(Collectors.toSet());
			assertThat(raylane).as("the catalog and the scheduler's internal topics")
				.containsAll(Topics.all().stream().map((t) -> t.name()).toList())
				.anyMatch((t) -> t.startsWith("raylane-scheduler-") && t.endsWith("-changelog"));
			Map<String, TopicDescription> descriptions = admin.describeTopics(raylane)
				.allTopicNames()
				.get(30, TimeUnit.SECONDS);
			descriptions.values()
				.forEach((d) -> assertThat(d.partitions()).as(d.name())
					.allSatisfy((p) -> assertThat(p.replicas()).hasSize(3)));
			List<ConfigResource> resources = raylane.stream()
				.map((t) -> new ConfigResource(ConfigResource.Type.TOPIC, t))
				.toList();
			Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
			configs
				.forEach((resource, config) -> assertThat(config.get("min.insync.replicas").value()).as(resource.name())
					.isEqualTo("2"));
			for (String history : List.of(Topics.ACCOUNTING.name(), Topics.AUDIT.name())) {
				Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, history));
				assertThat(config.get("retention.ms").value()).as(history).isEqualTo("-1");
				assertThat(config.get("retention.bytes").value()).as(history).isEqualTo("-1");
			}
		}
	}

	private static List<GpuUsage> accounting() {
		return KafkaProbe.readAll(cluster.bootstrapServers(), Topics.ACCOUNTING.name())
			.stream()
			.map((bytes) -> Topics.ACCOUNTING.valueSerde().deserializer().deserialize(Topics.ACCOUNTING.name(), bytes))
			.toList();
	}

}
