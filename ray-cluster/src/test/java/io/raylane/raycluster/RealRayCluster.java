package io.raylane.raycluster;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.raylane.rayclient.wire.RayJson;
import io.raylane.rayclient.wire.RayListResponse;
import io.raylane.rayclient.wire.RayNodeState;
import org.junit.jupiter.api.Assertions;
import tools.jackson.core.type.TypeReference;

/**
 * A real Ray {@value #RAY_VERSION} cluster for tests: a head started as production starts
 * it and N workers with logical GPUs and the pool resource, each in its own network, PID,
 * mount and UTS namespace (with sshd when Debian's openssh-server is installed), made by
 * {@code ray-cluster/cluster.sh} from the venv of {@code ray-cluster/install-ray.sh}.
 * Every cluster gets its own link-local /24, namespace prefix and state directory,
 * claimed with a file lock, so test JVMs running at the same time never share one. A
 * cluster is always stopped: by {@link #close()}, else by a JVM shutdown hook. Where the
 * machine cannot run one, {@link #shared()} and {@link #start} skip the test with the
 * reason, or fail it when CI requires the real Ray ({@link RealRayPrerequisites}).
 *
 * <pre>
 * RealRayCluster ray = RealRayCluster.shared();           // started once per JVM
 * String url = ray.dashboardUrl();                        // http://169.254.N.2:8265
 * ray.killRaylet("w2"); ray.restartNode("w2");            // node death, re-join under a new id
 * ray.restartHead();                                      // a new GCS: Ray forgets every job
 * </pre>
 */
public final class RealRayCluster implements AutoCloseable {

	public static final String RAY_VERSION = "2.60.0";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(330);

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(150);

	private static final Set<RealRayCluster> OPEN = ConcurrentHashMap.newKeySet();

	private static final TypeReference<RayListResponse<RayNodeState>> NODES = new TypeReference<>() {
	};

	private static RealRayCluster shared;

	private static String sharedFailure;

	private static List<String> missing;

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			for (RealRayCluster cluster : List.copyOf(OPEN)) {
				try {
					cluster.close();
				}
				catch (RuntimeException ex) {
					System.err.println("RealRayCluster: stopping " + cluster.dir + " at JVM exit: " + ex);
				}
			}
		}, "real-ray-cluster-stop"));
	}

	/** One worker as cluster.env describes it. */
	public record Worker(int index, String name, String ip, String hostname, String pool, int gpus, String metricsUrl,
			String netns) {
	}

	/** Memory held by every process of the cluster (Linux smaps_rollup sums). */
	public record Memory(int processes, long rssBytes, long pssBytes) {

		@Override
		public String toString() {
			return this.processes + " processes, PSS " + (this.pssBytes >> 20) + " MiB, RSS " + (this.rssBytes >> 20)
					+ " MiB";
		}

	}

	/** Exit code and combined output of a command run inside a node. */
	public record ExecResult(int exitCode, String output) {
	}

	private final RealRayClusterSettings settings;

	private final ClusterSlot slot;

	private final Path scripts;

	private final Path dir;

	private final Properties env = new Properties();

	private final List<Worker> workers = new ArrayList<>();

	private final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	private Duration startDuration;

	private Memory startMemory;

	private boolean closed;

	private RealRayCluster(RealRayClusterSettings settings, ClusterSlot slot, Path scripts) {
		this.settings = settings;
		this.slot = slot;
		this.scripts = scripts;
		this.dir = slot.dir();
	}

	/**
	 * The cluster of this JVM with {@link RealRayClusterSettings#defaults()}, started on
	 * first use and stopped at JVM exit. Tests that change it (kill a raylet, restart a
	 * node) leave it with every node ALIVE again. Skips or fails the caller when no
	 * cluster can run here; a start that failed once fails every later caller at once.
	 */
	public static synchronized RealRayCluster shared() {
		if (shared != null) {
			return shared;
		}
		if (sharedFailure != null) {
			throw new AssertionError(sharedFailure);
		}
		checkPrerequisites();
		try {
			shared = start(RealRayClusterSettings.defaults());
		}
		catch (AssertionError | RuntimeException ex) {
			sharedFailure = "the shared real Ray cluster failed to start: " + ex.getMessage();
			throw ex;
		}
		return shared;
	}

	/**
	 * A new cluster of its own (e.g. with token authentication); the caller closes it.
	 */
	public static RealRayCluster start(RealRayClusterSettings settings) {
		checkPrerequisites();
		Path scripts = RealRayPrerequisites.scripts().orElseThrow();
		ClusterSlot slot = ClusterSlot.claim();
		RealRayCluster cluster = new RealRayCluster(settings, slot, scripts);
		OPEN.add(cluster);
		try {
			cluster.boot();
		}
		catch (RuntimeException | AssertionError ex) {
			cluster.close();
			throw ex;
		}
		return cluster;
	}

	private static synchronized void checkPrerequisites() {
		if (missing == null) {
			missing = RealRayPrerequisites.missing();
		}
		if (!missing.isEmpty()) {
			throw RealRayPrerequisites.unavailable(String.join("; ", missing));
		}
	}

	private void boot() {
		try {
			Files.createDirectories(this.dir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (Files.exists(this.dir.resolve("prefix")) || Files.exists(this.dir.resolve("cluster.env"))) {
			// left by a JVM that died holding this slot (its lock is gone with it)
			log("stopping what a dead test JVM left in " + this.dir);
			script("stop");
		}
		long t0 = System.nanoTime();
		ExecResult result = script(START_TIMEOUT, "start");
		if (result.exitCode() != 0) {
			Assertions.fail("ray-cluster/cluster.sh start failed (exit " + result.exitCode() + ") in " + this.dir
					+ ":\n" + tail(result.output(), 40));
		}
		this.startDuration = Duration.ofNanos(System.nanoTime() - t0);
		try (Reader reader = Files.newBufferedReader(this.dir.resolve("cluster.env"))) {
			this.env.load(reader);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cluster.sh start wrote no cluster.env in " + this.dir, ex);
		}
		int count = Integer.parseInt(property("CLUSTER_WORKERS"));
		for (int i = 1; i <= count; i++) {
			String p = "CLUSTER_WORKER_" + i + "_";
			this.workers.add(new Worker(i, property(p + "NAME"), property(p + "IP"), property(p + "HOSTNAME"),
					property(p + "POOL"), Integer.parseInt(property(p + "GPUS")), property(p + "METRICS_URL"),
					this.env.getProperty(p + "NETNS")));
		}
		this.startMemory = memory();
		log("started " + (count + 1) + " nodes at " + dashboardUrl() + " in " + this.startDuration.toMillis()
				+ " ms; idle memory " + this.startMemory + " (dir " + this.dir + ")");
	}

	/** {@code http://<head ip>:8265}: the dashboard (Jobs API, State API). */
	public String dashboardUrl() {
		return property("CLUSTER_DASHBOARD_URL");
	}

	public String headIp() {
		return property("CLUSTER_HEAD_IP");
	}

	/** {@code <head ip>:6379}, what {@code ray start --address} takes. */
	public String gcsAddress() {
		return property("CLUSTER_GCS_ADDRESS");
	}

	public String headMetricsUrl() {
		return property("CLUSTER_HEAD_METRICS_URL");
	}

	/** The port every node's {@code --metrics-export-port} pins. */
	public int metricsPort() {
		return URI.create(headMetricsUrl()).getPort();
	}

	/** The Prometheus file-SD list the head writes (a symlink into its session dir). */
	public Path serviceDiscoveryFile() {
		return Path.of(property("CLUSTER_PROMETHEUS_SD_FILE"));
	}

	public List<Worker> workers() {
		return List.copyOf(this.workers);
	}

	/** Worker 1, 2, ... */
	public Worker worker(int index) {
		return this.workers.get(index - 1);
	}

	public RealRayClusterSettings settings() {
		return this.settings;
	}

	/** The token every call to Ray must carry, when the cluster runs with token auth. */
	public Optional<String> authToken() {
		String file = this.env.getProperty("CLUSTER_AUTH_TOKEN_FILE");
		if (file == null) {
			return Optional.empty();
		}
		try {
			return Optional.of(Files.readString(Path.of(file)).strip());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public Optional<Path> authTokenFile() {
		return Optional.ofNullable(this.env.getProperty("CLUSTER_AUTH_TOKEN_FILE")).map(Path::of);
	}

	/**
	 * Whether every node, the head too, runs sshd (Debian's openssh-server was
	 * installed).
	 */
	public boolean ssh() {
		return "on".equals(this.env.getProperty("CLUSTER_SSH"));
	}

	public Optional<String> sshUser() {
		return Optional.ofNullable(this.env.getProperty("CLUSTER_SSH_USER"));
	}

	public Optional<Path> sshKey() {
		return Optional.ofNullable(this.env.getProperty("CLUSTER_SSH_KEY")).map(Path::of);
	}

	public Optional<Path> sshKnownHosts() {
		return Optional.ofNullable(this.env.getProperty("CLUSTER_SSH_KNOWN_HOSTS")).map(Path::of);
	}

	/** The venv's {@code ray} CLI. */
	public Path rayBin() {
		return Path.of(property("CLUSTER_RAY_BIN"));
	}

	/** The cluster's state directory (logs under {@code nodes/<node>/}). */
	public Path dir() {
		return this.dir;
	}

	/** Every key of cluster.env. */
	public Properties clusterEnv() {
		Properties copy = new Properties();
		copy.putAll(this.env);
		return copy;
	}

	/** How long {@code cluster.sh start} took until every node was ALIVE. */
	public Duration startDuration() {
		return this.startDuration;
	}

	/** The memory the cluster held right after it started. */
	public Memory startMemory() {
		return this.startMemory;
	}

	/**
	 * The memory every process of the cluster holds now (node inits and all they
	 * started).
	 */
	public Memory memory() {
		return ClusterMemory.of(this.dir);
	}

	/** {@code GET /api/v0/nodes?detail=1&limit=10000}: every node Ray knows, DEAD too. */
	public List<RayNodeState> nodes() {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create(dashboardUrl() + "/api/v0/nodes?detail=1&limit=10000"))
			.timeout(Duration.ofSeconds(20));
		authToken().ifPresent((token) -> request.header("Authorization", "Bearer " + token));
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException(
						"/api/v0/nodes answered " + response.statusCode() + ": " + tail(response.body(), 5));
			}
			return RayJson.mapper().readValue(response.body(), NODES).items();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The id of the ALIVE node at this IP. */
	public Optional<String> aliveNodeId(String ip) {
		return nodes().stream().filter((n) -> n.alive() && ip.equals(n.nodeIp())).map(RayNodeState::nodeId).findFirst();
	}

	/**
	 * Runs a command inside node {@code node} ({@code head}, {@code w1}, ...): its
	 * namespaces, its environment.
	 */
	public ExecResult exec(String node, String... command) {
		List<String> args = new ArrayList<>(List.of("exec", node));
		args.addAll(List.of(command));
		return script(COMMAND_TIMEOUT, args.toArray(String[]::new));
	}

	/**
	 * SIGKILLs the raylet of {@code node}; Ray reports the node DEAD after its health
	 * check gives up (about 14 s).
	 */
	public void killRaylet(String node) {
		check(script(COMMAND_TIMEOUT, "kill-raylet", node), "kill-raylet " + node);
	}

	/**
	 * {@code ray stop} then {@code ray start} on {@code node}: it joins again under a new
	 * node id.
	 */
	public void restartNode(String node) {
		check(script(COMMAND_TIMEOUT, "restart-node", node), "restart-node " + node);
	}

	/**
	 * {@code ray stop} on {@code node} only; its namespaces stay, so {@link #startNode}
	 * brings it back. Stopping {@code head} takes the dashboard (Jobs and State API)
	 * away.
	 */
	public void stopNode(String node) {
		check(script(COMMAND_TIMEOUT, "stop-node", node), "stop-node " + node);
	}

	/** {@code ray start} on {@code node} with the arguments it was started with. */
	public void startNode(String node) {
		check(script(COMMAND_TIMEOUT, "start-node", node), "start-node " + node);
	}

	/**
	 * The head restarted as a head without GCS fault tolerance restarts: a new GCS that
	 * knows no job and no node. Every worker is restarted then, since its raylet cannot
	 * serve the new head, and joins under a new node id; returns once every node is
	 * ALIVE. For a pause between stop and start: {@link #stopNode}("head"),
	 * {@link #startNode}("head"), then {@link #restartNode} each worker.
	 */
	public void restartHead() {
		check(script(START_TIMEOUT, "restart-head"), "restart-head");
	}

	/**
	 * Stops every node and removes the namespaces and links (about 10 s); idempotent.
	 * @throws IllegalStateException if a namespace of this cluster is still there
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			long t0 = System.nanoTime();
			ExecResult stopped = script(COMMAND_TIMEOUT, "stop");
			List<String> left = RealRayPrerequisites.run(10, "ip", "netns", "list")
				.lines()
				.filter((line) -> line.startsWith(this.slot.name() + "-"))
				.toList();
			log("stopped " + this.dir + " in " + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");
			if (stopped.exitCode() != 0 || !left.isEmpty()) {
				throw new IllegalStateException("cluster.sh stop (exit " + stopped.exitCode() + ") left namespaces "
						+ left + ":\n" + tail(stopped.output(), 20));
			}
		}
		finally {
			OPEN.remove(this);
			this.slot.release();
		}
	}

	private ExecResult script(String... args) {
		return script(COMMAND_TIMEOUT, args);
	}

	/** Runs cluster.sh with this cluster's settings; output also goes to fixture.log. */
	private ExecResult script(Duration timeout, String... args) {
		List<String> command = new ArrayList<>(List.of("bash", this.scripts.resolve("cluster.sh").toString()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		Map<String, String> environment = builder.environment();
		// nothing of the caller's Ray or cluster settings may leak into this cluster
		environment.keySet().removeIf((k) -> k.startsWith("RAYLANE_RAY_") || k.startsWith("RAY_"));
		environment.putAll(this.settings.environment(this.slot, RealRayPrerequisites.venv()));
		try {
			Path output = Files.createTempFile(this.dir, "cluster-sh", ".out");
			try {
				Process process = builder.redirectOutput(output.toFile()).start();
				process.getOutputStream().close();
				if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
					process.descendants().forEach(ProcessHandle::destroyForcibly);
					process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
					return new ExecResult(124, "cluster.sh " + String.join(" ", args) + " timed out after "
							+ timeout.toSeconds() + " s\n" + Files.readString(output, StandardCharsets.UTF_8));
				}
				String text = Files.readString(output, StandardCharsets.UTF_8);
				Files.writeString(this.dir.resolve("fixture.log"),
						"$ cluster.sh " + String.join(" ", args) + "\n" + text, StandardCharsets.UTF_8,
						java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
				return new ExecResult(process.exitValue(), text);
			}
			finally {
				Files.deleteIfExists(output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void check(ExecResult result, String what) {
		if (result.exitCode() != 0) {
			throw new IllegalStateException(
					"cluster.sh " + what + " failed (exit " + result.exitCode() + "):\n" + tail(result.output(), 20));
		}
	}

	private String property(String key) {
		String value = this.env.getProperty(key);
		if (value == null) {
			throw new IllegalStateException("cluster.env of " + this.dir + " has no " + key);
		}
		return value;
	}

	static String tail(String text, int lines) {
		List<String> all = text.lines().toList();
		return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
	}

	private static void log(String message) {
		System.out.println("RealRayCluster: " + message);
	}

}
