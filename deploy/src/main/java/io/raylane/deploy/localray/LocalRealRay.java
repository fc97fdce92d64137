package io.raylane.deploy.localray;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.raylane.rayclient.RayHttp;
import io.raylane.rayclient.wire.RayJson;
import io.raylane.rayclient.wire.RayListResponse;
import io.raylane.rayclient.wire.RayNodeState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.type.TypeReference;

/**
 * A real local Ray for the all-in-one ({@code RAYLANE_LOCAL_RAY=real}, or {@code auto}
 * with Ray 2.60 on PATH): runs {@link LocalRayNodes}' head, then its workers, each as a
 * {@code ray start --block} child of this JVM, until each is ALIVE in Ray's State API.
 * Closing stops exactly what it started: SIGTERM to the workers' {@code ray start}, then
 * the head's (each stops its own node's processes), then SIGKILL for any process of the
 * nodes that outlived it, by PID. Never {@code ray stop}: it stops every Ray process it
 * can see, other users' and other tests' clusters included. The PIDs are also written to
 * {@code
 *
<dir>
 * /pids}, so that a start after a crash (kill -9 of the all-in-one, whose
 * {@code ray start} processes then live on) stops what the crashed one left.
 */
public final class LocalRealRay implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(LocalRealRay.class);

	/**
	 * A node takes 20-90 s on a busy 2-core machine, and a failed start is tried again;
	 * reached only when something is wrong.
	 */
	private static final Duration START_TIMEOUT = Duration.ofMinutes(10);

	/**
	 * Ray 2.60's raylet gives its dashboard agent a hard-coded 15 s to start, and
	 * {@code ray start} then fails (ray-cluster/FINDINGS.md §6): seen on a loaded
	 * machine, where such a node is started again.
	 */
	private static final int START_ATTEMPTS = 4;

	private static final Duration STOP_WAIT = Duration.ofSeconds(30);

	private static final TypeReference<RayListResponse<RayNodeState>> NODES = new TypeReference<>() {
	};

	private final LocalRayNodes nodes;

	private final String authToken;

	private final Map<String, Process> running = new LinkedHashMap<>();

	private final Map<String, Integer> attempts = new HashMap<>();

	private final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	private LocalRealRay(LocalRayNodes nodes, String authToken) {
		this.nodes = nodes;
		this.authToken = authToken;
	}

	/**
	 * Starts the head and {@code workers} workers and waits until Ray lists them ALIVE.
	 * @param dashboardPort the head's dashboard port; 0 picks a free one
	 * @param metricsPort the head's metrics port; 0 picks a free one (the workers' are
	 * always free ones: they share this host's port space)
	 * @param authToken the Ray token every node and call uses, or null
	 */
	public static LocalRealRay start(Path rayCli, Path dataDir, int dashboardPort, int metricsPort, int workers,
			int gpusPerWorker, String pool, String authToken) {
		Path dir = LocalRayNodes.dirFor(dataDir);
		LocalRayPids.stopLeftovers(dir);
		LocalRayNodes nodes = new LocalRayNodes(rayCli, dir, workers, gpusPerWorker, pool,
				ports(dashboardPort, metricsPort, workers));
		LocalRealRay ray = new LocalRealRay(nodes, authToken);
		long t0 = System.nanoTime();
		try {
			Files.createDirectories(dir);
			long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
			// one node at a time: several Python agents starting at once on a small
			// machine are what makes a raylet give up on its agent
			for (String name : nodes.names()) {
				ray.awaitAlive(name, deadline);
			}
		}
		catch (IOException ex) {
			ray.close();
			throw new UncheckedIOException(ex);
		}
		catch (RuntimeException ex) {
			ray.close();
			throw ex;
		}
		log.info("local Ray up in {} ms: head {} (GCS {}), {} workers with {} GPUs each; Ray's files in {}",
				Duration.ofNanos(System.nanoTime() - t0).toMillis(), nodes.dashboardUrl(), nodes.gcsAddress(), workers,
				gpusPerWorker, dir);
		return ray;
	}

	/** The dashboard: {@code http://127.0.0.10:<port>}. */
	public String address() {
		return this.nodes.dashboardUrl();
	}

	/** What {@code ray start --address} joins. */
	public String gcsAddress() {
		return this.nodes.gcsAddress();
	}

	/** The head's metrics port. */
	public int metricsPort() {
		return this.nodes.ports().metrics().get(0);
	}

	/** The {@code ray start --block} processes, by node name. */
	public Map<String, ProcessHandle> processes() {
		Map<String, ProcessHandle> handles = new LinkedHashMap<>();
		this.running.forEach((name, process) -> handles.put(name, process.toHandle()));
		return handles;
	}

	/**
	 * (Re)starts the node while its {@code ray start} is not running, until Ray lists it
	 * ALIVE with its {@code ray start} still running.
	 */
	private void awaitAlive(String name, long deadline) throws IOException {
		while (true) {
			Process head = this.running.get("head");
			if (!name.equals("head") && (head == null || !head.isAlive())) {
				throw new IllegalStateException("the local Ray head exited; see " + this.nodes.dir() + "/head.log");
			}
			Process process = this.running.get(name);
			if (process == null || !process.isAlive()) {
				launch(name);
			}
			Set<String> alive = aliveIps();
			if (alive.contains(LocalRayNodes.ip(name)) && this.running.get(name).isAlive()) {
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("local Ray node " + name + " not ALIVE within " + START_TIMEOUT
						+ " (alive: " + alive + "); see " + this.nodes.dir().resolve(name + ".log"));
			}
			sleep(500);
		}
	}

	private void launch(String name) throws IOException {
		int attempt = this.attempts.merge(name, 1, Integer::sum);
		Path logFile = this.nodes.dir().resolve(name + ".log");
		if (attempt > START_ATTEMPTS) {
			throw new IllegalStateException("ray start of local Ray node " + name + " failed " + START_ATTEMPTS
					+ " times; last lines of " + logFile + ":\n" + tail(logFile, 15));
		}
		if (attempt > 1) {
			log.warn("ray start of local Ray node {} exited; starting it again (attempt {} of {})", name, attempt,
					START_ATTEMPTS);
		}
		Path nodeDir = Files.createDirectories(this.nodes.nodeDir(name));
		ProcessBuilder builder = new ProcessBuilder(this.nodes.command(name)).directory(nodeDir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
		builder.environment().clear();
		builder.environment().putAll(this.nodes.environment(name, System.getenv(), this.authToken));
		Process process = builder.start();
		process.getOutputStream().close();
		this.running.put(name, process);
		LocalRayPids.write(this.nodes.dir(), processes());
	}

	/**
	 * The IPs of the nodes Ray lists ALIVE; empty while the dashboard does not answer.
	 */
	private Set<String> aliveIps() {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create(this.nodes.dashboardUrl() + "/api/v0/nodes?limit=10000"))
			.header("User-Agent", RayHttp.USER_AGENT)
			.timeout(Duration.ofSeconds(10));
		if (this.authToken != null) {
			request.header("Authorization", "Bearer " + this.authToken);
		}
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				return Set.of();
			}
			return RayJson.mapper()
				.readValue(response.body(), NODES)
				.items()
				.stream()
				.filter(RayNodeState::alive)
				.map(RayNodeState::nodeIp)
				.collect(Collectors.toSet());
		}
		catch (IOException | RuntimeException ex) {
			return Set.of();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while starting the local Ray", ex);
		}
	}

	/**
	 * Stops the workers, then the head (a raylet told to stop while its GCS goes away
	 * waits for it: ray-cluster/FINDINGS.md §1), then kills what outlived them.
	 */
	@Override
	public void close() {
		if (this.running.isEmpty()) {
			return;
		}
		long t0 = System.nanoTime();
		List<ProcessHandle> started = new ArrayList<>();
		this.running.values().forEach((p) -> {
			started.add(p.toHandle());
			p.toHandle().descendants().forEach(started::add);
		});
		List<String> workers = this.running.keySet().stream().filter((n) -> !n.equals("head")).toList();
		stopAndWait(workers);
		stopAndWait(List.of("head"));
		int killed = LocalRayPids.kill(started);
		this.running.clear();
		LocalRayPids.delete(this.nodes.dir());
		log.info("local Ray stopped in {} ms ({} processes; {} killed after the grace period)",
				Duration.ofNanos(System.nanoTime() - t0).toMillis(), started.size(), killed);
	}

	private void stopAndWait(List<String> names) {
		long deadline = System.nanoTime() + STOP_WAIT.toNanos();
		names.stream().map(this.running::get).filter((p) -> p != null && p.isAlive()).forEach(Process::destroy);
		for (String name : names) {
			Process process = this.running.get(name);
			while (process != null && process.isAlive() && System.nanoTime() < deadline) {
				sleep(100);
			}
		}
	}

	/** Free ports for every port not given (0). */
	private static LocalRayNodes.Ports ports(int dashboard, int metrics, int workers) {
		Set<Integer> taken = new HashSet<>(List.of(dashboard, metrics));
		List<Integer> metricsPorts = new ArrayList<>(List.of((metrics > 0) ? metrics : freePort(taken)));
		List<Integer> agentPorts = new ArrayList<>(List.of(freePort(taken)));
		for (int i = 1; i <= workers; i++) {
			metricsPorts.add(freePort(taken));
			agentPorts.add(freePort(taken));
		}
		return new LocalRayNodes.Ports((dashboard > 0) ? dashboard : freePort(taken), freePort(taken), freePort(taken),
				freePort(taken), freePort(taken), metricsPorts, agentPorts);
	}

	/** A port free on every address, not handed out before. */
	private static int freePort(Set<Integer> taken) {
		while (true) {
			try (ServerSocket socket = new ServerSocket(0)) {
				if (taken.add(socket.getLocalPort())) {
					return socket.getLocalPort();
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	private static String tail(Path file, int lines) {
		try {
			List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException ex) {
			return "(cannot read it: " + ex + ")";
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

}
