package io.raylane.deploy.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

import static org.awaitility.Awaitility.await;

/**
 * A Kafka cluster of several KRaft nodes (each a combined broker and controller, all in
 * one static quorum) on 127.0.0.1, each node in its own child JVM
 * ({@link KafkaClusterNode}), so that a broker failure is real: {@link #kill} sends
 * SIGKILL, and the node's open files, sockets and unflushed pages go with the process
 * exactly as on a crashed machine (an in-process shutdown would close them in order). A
 * killed node restarts on its own log directory and ports ({@link #restart}). Kafka's own
 * topics are created with three replicas, two in sync.
 */
public final class KafkaCluster implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

	private final Path dir;

	private final String clusterId = Uuid.randomUuid().toString();

	/** Node id → client port. */
	private final Map<Integer, Integer> ports = new TreeMap<>();

	/** Node id → controller port. */
	private final Map<Integer, Integer> controllerPorts = new TreeMap<>();

	private final Map<Integer, Process> processes = new TreeMap<>();

	private KafkaCluster(Path dir, int nodes) {
		this.dir = dir;
		Set<Integer> taken = new HashSet<>();
		for (int id = 1; id <= nodes; id++) {
			this.ports.put(id, distinctFreePort(taken));
			this.controllerPorts.put(id, distinctFreePort(taken));
		}
	}

	/** Starts {@code nodes} nodes and returns once every one is a registered broker. */
	public static KafkaCluster start(Path dir, int nodes) {
		KafkaCluster cluster = new KafkaCluster(dir, nodes);
		try {
			for (int id : cluster.ports.keySet()) {
				cluster.launch(id);
			}
			cluster.awaitBrokers(cluster.ports.keySet());
			return cluster;
		}
		catch (RuntimeException | Error ex) {
			cluster.close();
			throw ex;
		}
	}

	/** Every node's client address, for {@code bootstrap.servers}. */
	public String bootstrapServers() {
		return this.ports.values().stream().map((p) -> "127.0.0.1:" + p).collect(Collectors.joining(","));
	}

	/** SIGKILL to node {@code id}'s JVM; returns once the process is gone. */
	public void kill(int id) {
		Process process = this.processes.remove(id);
		if (process == null) {
			throw new IllegalStateException("node " + id + " is not running");
		}
		process.destroyForcibly();
		try {
			process.waitFor(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Starts node {@code id} again on its log directory and ports; returns once the
	 * cluster knows it as a broker again.
	 */
	public void restart(int id) {
		launch(id);
		awaitBrokers(List.of(id));
	}

	/** The node leading {@code topic}'s {@code partition} now. */
	public int leaderOf(String topic, int partition) {
		try (Admin admin = admin()) {
			TopicDescription description = admin.describeTopics(List.of(topic))
				.allTopicNames()
				.get(30, TimeUnit.SECONDS)
				.get(topic);
			return description.partitions().get(partition).leader().id();
		}
		catch (Exception ex) {
			throw new IllegalStateException("cannot describe " + topic, ex);
		}
	}

	/**
	 * Waits until every partition of every topic has all its replicas in sync again (a
	 * restarted node has caught up), so that the next failure finds every write on at
	 * least two live brokers.
	 */
	public void awaitFullIsr(Duration atMost) {
		await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> laggingPartitions().isEmpty());
	}

	/** {@code topic-partition} of every partition missing a replica from its ISR. */
	public List<String> laggingPartitions() {
		try (Admin admin = admin()) {
			Set<String> topics = admin
				.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
				.names()
				.get(30, TimeUnit.SECONDS);
			List<String> lagging = new ArrayList<>();
			admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, description) -> {
				for (TopicPartitionInfo p : description.partitions()) {
					if (p.isr().size() < p.replicas().size()) {
						lagging.add(name + "-" + p.partition());
					}
				}
			});
			return lagging;
		}
		catch (Exception ex) {
			throw new IllegalStateException("cannot describe the cluster's topics", ex);
		}
	}

	/** An admin client on the live nodes. */
	public Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
				AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
				30_000));
	}

	private void launch(int id) {
		String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		String voters = this.controllerPorts.entrySet()
			.stream()
			.map((e) -> e.getKey() + ":" + e.getValue())
			.collect(Collectors.joining(","));
		Path nodeDir = this.dir.resolve("node-" + id);
		try {
			Files.createDirectories(nodeDir);
			// a small heap, client-grade JIT and the serial collector: three brokers and
			// the services under test share two cores
			ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
					"-Djava.io.tmpdir=" + nodeDir, "-cp", classpath, KafkaClusterNode.class.getName(),
					nodeDir.resolve("log").toString(), String.valueOf(id), this.clusterId,
					String.valueOf(this.ports.get(id)), voters);
			builder.redirectErrorStream(true);
			builder.redirectOutput(ProcessBuilder.Redirect.appendTo(nodeDir.resolve("node.out").toFile()));
			this.processes.put(id, builder.start());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void awaitBrokers(Collection<Integer> ids) {
		try (Admin admin = admin()) {
			await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
				for (int id : ids) {
					Process process = this.processes.get(id);
					if (process == null || !process.isAlive()) {
						throw new IllegalStateException(
								"kafka node " + id + " exited; see " + this.dir.resolve("node-" + id + "/node.out"));
					}
				}
				try {
					Set<Integer> live = admin.describeCluster()
						.nodes()
						.get(5, TimeUnit.SECONDS)
						.stream()
						.map(org.apache.kafka.common.Node::id)
						.collect(Collectors.toSet());
					return live.containsAll(ids);
				}
				catch (Exception notYet) {
					return false;
				}
			});
		}
	}

	/**
	 * SIGKILL to every node: the cluster's data is the test's and goes with it, and a
	 * clean stop of all the quorum at once only waits for controllers already gone.
	 */
	@Override
	public void close() {
		List<Process> running = new ArrayList<>(this.processes.values());
		this.processes.clear();
		running.forEach(Process::destroyForcibly);
		for (Process process : running) {
			try {
				process.waitFor(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static int distinctFreePort(Set<Integer> taken) {
		while (true) {
			int port = EmbeddedKafkaBroker.freePort();
			if (taken.add(port)) {
				return port;
			}
		}
	}

}
