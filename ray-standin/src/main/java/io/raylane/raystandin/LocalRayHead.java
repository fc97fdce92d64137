package io.raylane.raystandin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local stand-in for a Ray head node, for trying Raylane and for tests: the dashboard's
 * HTTP contract (Jobs API, State API nodes, version, health) on 127.0.0.1, with simulated
 * worker nodes that join and leave like real ones, and entrypoints run as local process
 * groups. Its job table, driver logs and exit codes live in the state directory, so a
 * head restarted on it (even after {@code kill -9}) knows every job and adopts running
 * drivers. Production points Raylane at a real Ray head instead; nothing here is
 * Raylane-specific except the default {@code raylane-pool-<pool>} resource of the
 * simulated workers. Each ALIVE worker also serves Ray-format GPU metrics on its own IP
 * ({@link #metricsPort()}) with simulated values that {@link #simulateGpus} drives.
 */
public final class LocalRayHead implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(LocalRayHead.class);

	static final String HEAD_IP = "127.0.0.1";

	/**
	 * Reported as {@code ray_version} so a client can tell it is talking to this
	 * stand-in.
	 */
	public static final String RAY_VERSION = "2.60.0-raylane-local";

	/**
	 * The state message Ray 2.60 gives a node whose raylet died without saying goodbye.
	 */
	public static final String HEALTH_CHECK_DEATH = "Unexpected termination: health check failed due to missing "
			+ "too many heartbeats";

	private static final long MONITOR_PERIOD_MS = 100;

	private final LocalRayHeadConfig config;

	private final NodeTable nodes;

	private final JobManager jobs;

	private final HeadHttpServer http;

	private final SimulatedGpus gpus = new SimulatedGpus();

	private final NodeMetricsServers metrics;

	private final ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor((r) -> {
		Thread t = new Thread(r, "local-ray-monitor");
		t.setDaemon(true);
		return t;
	});

	private boolean closed;

	private LocalRayHead(LocalRayHeadConfig config) throws IOException {
		this.config = config;
		Files.createDirectories(config.stateDir());
		Clock clock = Clock.systemUTC();
		this.nodes = new NodeTable(config.stateDir(), clock, HEAD_IP);
		// the port must be bound before drivers start: they get RAY_ADDRESS pointing at
		// it
		HeadHttpServer.Binding binding = HeadHttpServer.bind(config.port());
		String address = "http://" + HEAD_IP + ":" + binding.port();
		this.jobs = new JobManager(config, new JobStore(config.stateDir()), this.nodes, clock, System.getenv(),
				address);
		Map<String, String> version = version();
		this.metrics = new NodeMetricsServers(config.metricsPort(), HEAD_IP,
				IntStream.range(0, config.workers()).mapToObj(LocalRayHead::workerIp).toList(), this.gpus, version,
				config.stateDir(), new NodeMetricsServers.NodeResources() {
					@Override
					public Map<String, Double> total(String ip) {
						return LocalRayHead.this.nodes.aliveAt(ip).map(LocalNode::resourcesTotal).orElse(Map.of());
					}

					@Override
					public Map<String, Double> used(String ip) {
						return LocalRayHead.this.nodes.aliveAt(ip)
							.map((node) -> LocalRayHead.this.jobs.reservedOn(node.nodeId()))
							.orElse(Map.of());
					}
				});
		this.http = new HeadHttpServer(binding, this.jobs, this.nodes, new NodeRoutes(this),
				new SimulatedGpuRoutes(this.gpus), version, this.metrics::serviceDiscovery,
				new TokenGuard(config.authToken()));
	}

	/**
	 * Starts the head: binds the port, joins the configured workers, recovers the job
	 * table, serves.
	 */
	public static LocalRayHead start(LocalRayHeadConfig config) {
		try {
			LocalRayHead head = new LocalRayHead(config);
			try {
				head.boot();
			}
			catch (RuntimeException ex) {
				head.close();
				throw ex;
			}
			return head;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot start the local Ray head on port " + config.port(), ex);
		}
	}

	private void boot() {
		this.metrics.headStarted();
		for (int i = 0; i < this.config.workers(); i++) {
			join(WorkerSpec.ofPool(workerIp(i), this.config.pool(), this.config.gpusPerWorker()));
		}
		this.jobs.recover();
		this.monitor.scheduleWithFixedDelay(this::tick, 0, MONITOR_PERIOD_MS, TimeUnit.MILLISECONDS);
		this.http.start();
		log.info("local Ray head at {} ({} workers of pool {}{}), state in {}", address(), this.config.workers(),
				this.config.pool(), (this.config.authToken() != null) ? ", token authentication on" : "",
				this.config.stateDir());
	}

	/** The i-th simulated worker's IP: 127.0.0.2, 127.0.0.3, ... */
	public static String workerIp(int index) {
		return "127.0.0." + (index + 2);
	}

	/** {@code http://127.0.0.1:<port>}: what RAYLANE_RAY_ADDRESS should be. */
	public String address() {
		return "http://" + HEAD_IP + ":" + this.http.port();
	}

	public int port() {
		return this.http.port();
	}

	/**
	 * The port of every worker node's metrics endpoint
	 * {@code http://<node ip>:<port>/metrics}.
	 */
	public int metricsPort() {
		return this.metrics.port();
	}

	/**
	 * Sets the simulated utilization (percent, 0-100) and GPU memory in use (MiB, of an
	 * 80 GiB card) of every GPU of the ALIVE worker at {@code nodeIp}; its metrics
	 * endpoint serves them from now on. A simulation knob, not Ray.
	 * @throws java.util.NoSuchElementException when no ALIVE worker has that IP
	 * @throws IllegalArgumentException for a value out of range
	 */
	public void simulateGpus(String nodeIp, double utilizationPercent, double gramUsedMib) {
		this.gpus.set(nodeIp, null, utilizationPercent, gramUsedMib);
	}

	/**
	 * As {@link #simulateGpus(String, double, double)} for one GPU of the node (index 0
	 * .. GPUs - 1).
	 */
	public void simulateGpus(String nodeIp, int gpuIndex, double utilizationPercent, double gramUsedMib) {
		this.gpus.set(nodeIp, gpuIndex, utilizationPercent, gramUsedMib);
	}

	/**
	 * HTTP requests the head has served since it started, per route ({@code GET
	 * /api/jobs/{id}} counts every job's status read): what a benchmark reports as the
	 * load on Ray. Not part of Ray's API.
	 */
	public Map<String, Long> requestCounts() {
		return this.http.requestCounts();
	}

	public String headNodeId() {
		return this.nodes.head().nodeId();
	}

	public LocalRayHeadConfig config() {
		return this.config;
	}

	/**
	 * A worker joins (the {@code ray start --address=...} stand-in); returns its node id.
	 */
	public String join(WorkerSpec spec) {
		LocalNode node = this.nodes.join(spec);
		this.metrics.joined(node.ip(), node.resourcesTotal().getOrDefault("GPU", 0.0).intValue());
		this.monitor.execute(this::tick);
		return node.nodeId();
	}

	/**
	 * A worker leaves ({@code ray stop}): it turns DEAD with this state message and its
	 * drivers die.
	 */
	public boolean leave(String nodeId, String message) {
		return this.nodes.leave(nodeId, message).map((node) -> {
			if (this.nodes.aliveAt(node.ip()).isEmpty()) {
				// not when an already DEAD node "leaves" again after a new node joined at
				// its IP
				this.metrics.left(node.ip());
			}
			this.jobs.nodeLeft(node);
			return true;
		}).orElse(false);
	}

	public boolean leave(String nodeId) {
		return leave(nodeId, NodeRoutes.STOPPED_MESSAGE);
	}

	/**
	 * A worker's raylet dies (SIGKILL, a crashed host): DEAD with Ray's health-check
	 * message, its jobs FAILED. Unlike on Ray, where the entrypoint outlives its raylet,
	 * the stand-in kills the driver's process group so nothing of it is left behind.
	 */
	public boolean crash(String nodeId) {
		return leave(nodeId, HEALTH_CHECK_DEATH);
	}

	/**
	 * The Prometheus file-SD list of every node's metrics target, as Ray's head writes it
	 * into its temp dir.
	 */
	public java.nio.file.Path serviceDiscoveryFile() {
		return this.metrics.serviceDiscoveryFile();
	}

	/** The pid (and process group) of a job's driver, once started; for tests. */
	java.util.Optional<Long> driverPid(String submissionId) {
		return this.jobs.driverPid(submissionId);
	}

	/** Every ALIVE node at this IP leaves; returns their ids. */
	public List<String> leaveIp(String ip, String message) {
		return this.nodes.aliveAt(ip).filter((n) -> !n.head()).map((n) -> {
			leave(n.nodeId(), message);
			return List.of(n.nodeId());
		}).orElse(List.of());
	}

	/** Ids of the ALIVE worker nodes, in join order. */
	public List<String> aliveWorkers() {
		return this.nodes.all().stream().filter((n) -> n.alive() && !n.head()).map(LocalNode::nodeId).toList();
	}

	/**
	 * Stops serving; then, unless the config says to leave them (a simulated crash),
	 * SIGTERM/SIGKILL every running driver and record those jobs FAILED.
	 */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.http.stop();
		this.metrics.close();
		this.monitor.shutdownNow();
		try {
			this.monitor.awaitTermination(5, TimeUnit.SECONDS);
			this.jobs.shutdown(this.config.killDriversOnClose());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void tick() {
		try {
			this.jobs.tick();
		}
		catch (RuntimeException ex) {
			// keep monitoring: one bad round (e.g. a full disk) must not stop the head
			// for good
			log.warn("local Ray head monitor round failed: {}", ex.toString());
		}
	}

	private static Map<String, String> version() {
		Map<String, String> version = new LinkedHashMap<>();
		version.put("version", "4");
		version.put("ray_version", RAY_VERSION);
		version.put("ray_commit", "raylane-local");
		version.put("session_name",
				"session_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss_SSSSSS")) + "_"
						+ ProcessHandle.current().pid());
		return version;
	}

}
