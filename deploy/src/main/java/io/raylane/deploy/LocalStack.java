package io.raylane.deploy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.raylane.api.ApiApplication;
import io.raylane.deploy.broker.EmbeddedKafkaBroker;
import io.raylane.deploy.localray.LocalRayChoice;
import io.raylane.deploy.localray.LocalRealRay;
import io.raylane.deploy.localray.RayCli;
import io.raylane.nodeagent.NodeAgentApplication;
import io.raylane.observer.ObserverApplication;
import io.raylane.raystandin.DriverIsolation;
import io.raylane.raystandin.LocalRayHead;
import io.raylane.raystandin.LocalRayHeadConfig;
import io.raylane.scheduler.SchedulerApplication;
import io.raylane.submitter.SubmitterApplication;
import io.raylane.topics.TopicCreator;
import io.raylane.topics.job.JobSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationPreparedEvent;

/**
 * A running all-in-one stack: broker, a local Ray (a real one, or the Java stand-in)
 * unless a Ray is given, and every service: the four internal ones at the same time, the
 * API last; closed in reverse. {@link AllInOne} runs one from the environment; end-to-end
 * tests and the benchmark start one in-process with free ports.
 */
public final class LocalStack implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(LocalStack.class);

	public static final String API = "api";

	public static final String SCHEDULER = "scheduler";

	public static final String SUBMITTER = "submitter";

	public static final String OBSERVER = "observer";

	public static final String NODE_AGENT = "node-agent";

	/** The service names of {@link #servicePorts()} and {@link #restart(String)}. */
	public static final List<String> SERVICES = List.of(API, SCHEDULER, SUBMITTER, OBSERVER, NODE_AGENT);

	private final Deque<AutoCloseable> closeables = new ArrayDeque<>();

	private final LocalStackSettings settings;

	private final Map<String, Object> extraProperties;

	private String bootstrapServers;

	/** Whether the stack runs its own single broker (not a given cluster). */
	private boolean embeddedBroker;

	private String rayAddress;

	private LocalRayHead localHead;

	private LocalRealRay realRay;

	private String rayDescription;

	/** The services by name ({@link #SERVICES}), in start order. */
	private final Map<String, LocalService> services = new LinkedHashMap<>();

	private LocalStack(LocalStackSettings settings, Map<String, Object> extraProperties) {
		this.settings = settings;
		this.extraProperties = Map.copyOf(extraProperties);
	}

	public static LocalStack start(LocalStackSettings settings) throws Exception {
		return start(settings, Map.of());
	}

	/**
	 * Starts a stack whose services also get {@code extraProperties} (e.g. the
	 * node-agent's {@code raylane.ssh.key} / {@code raylane.ssh.known-hosts} in tests).
	 */
	public static LocalStack start(LocalStackSettings settings, Map<String, Object> extraProperties) throws Exception {
		LocalStack stack = new LocalStack(settings, extraProperties);
		try {
			stack.startAll();
			return stack;
		}
		catch (Exception | Error ex) {
			stack.close();
			throw ex;
		}
	}

	private void startAll() throws Exception {
		// 1. one stack per data dir: a second launcher on the same broker log would
		// corrupt it
		Files.createDirectories(this.settings.dataDir());
		// issue 12: the broker's log, the state stores and the dev tokens are the
		// launcher's alone
		Files.setPosixFilePermissions(this.settings.dataDir(), PosixFilePermissions.fromString("rwx------"));
		Files.createDirectories(this.settings.sharedRoot());
		lockDataDir();
		// 2. Kafka: the embedded broker unless a cluster is given. On the embedded one
		// the
		// topics have one replica; on a given cluster each service creates them as its
		// raylane.kafka.* settings say (production's 3 replicas, 2 in sync, by default)
		if (this.settings.kafkaBootstrap().isPresent()) {
			this.bootstrapServers = this.settings.kafkaBootstrap().get();
		}
		else {
			EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(this.settings.dataDir().resolve("kafka"),
					this.settings.kafkaPort());
			this.closeables.push(broker);
			this.bootstrapServers = broker.bootstrapServers();
			this.embeddedBroker = true;
			TopicCreator.ensureTopics(this.bootstrapServers, (short) 1);
		}
		// 3. Ray: the given one, else a real local Ray or the local Ray-compatible head
		// (RAYLANE_LOCAL_RAY; docs/deploy.md)
		LocalRayChoice choice = LocalRayChoice.decide(this.settings.localRay(), this.settings.rayAddress().isPresent(),
				() -> RayCli.probe(System.getenv("PATH")));
		switch (choice.kind()) {
			case USE_ADDRESS -> this.rayAddress = this.settings.rayAddress().get();
			case REAL -> startRealRay(choice);
			case STANDIN -> startStandIn();
			case ERROR -> throw new IllegalStateException(choice.reason());
		}
		this.rayDescription = choice.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + choice.reason();
		log.info("Ray: {}", this.rayDescription);
		// 4. the services. The four internal ones at the same time (issue 17: one after
		// another they took most of the start); the API last, so that "health UP" means
		// everything behind it is running.
		Map<String, Object> common = commonProperties();
		LocalStackSettings.ServicePorts ports = this.settings.servicePorts();
		startInternalServices(new LocalService(SchedulerApplication::builder, internal(common, ports.scheduler())),
				Map.of(SUBMITTER, new LocalService(SubmitterApplication::builder, internal(common, ports.submitter())),
						OBSERVER, new LocalService(ObserverApplication::builder, internal(common, ports.observer())),
						NODE_AGENT,
						new LocalService(NodeAgentApplication::builder, internal(common, ports.nodeAgent()))));
		Map<String, Object> api = new LinkedHashMap<>(common);
		api.put("server.port", this.settings.apiPort());
		// SERVER_ADDRESS; tests bind the API to loopback (LocalStackSettings.apiAddress)
		this.settings.apiAddress().ifPresent((address) -> api.put("server.address", address));
		start(API, ApiApplication::builder, api);
	}

	private void startRealRay(LocalRayChoice choice) {
		this.realRay = LocalRealRay.start(choice.rayCli(), this.settings.dataDir(), this.settings.localRayPort(),
				this.settings.rayMetricsPort(), this.settings.localWorkers(), this.settings.localWorkerGpus(),
				JobSpec.DEFAULT_POOL, this.settings.rayAuthToken().orElse(null));
		this.closeables.push(this.realRay);
		this.rayAddress = this.realRay.address();
	}

	private void startStandIn() throws Exception {
		DriverIsolation isolation = driverIsolation();
		this.closeables.push(() -> DriverRoot.delete(isolation.workRoot()));
		this.localHead = LocalRayHead.start(LocalRayHeadConfig.defaults(this.settings.dataDir().resolve("local-ray"))
			.withPort(this.settings.localRayPort())
			.withMetricsPort(this.settings.rayMetricsPort())
			.withWorkers(this.settings.localWorkers(), this.settings.localWorkerGpus(), JobSpec.DEFAULT_POOL)
			.withAuthToken(this.settings.rayAuthToken().orElse(null))
			.withIsolation(isolation));
		this.closeables.push(this.localHead);
		this.rayAddress = this.localHead.address();
	}

	/**
	 * Issue 12: the local head's jobs work in their own folders (their HOME) outside the
	 * data directory, and run as {@link LocalStackSettings#jobUser()} when one is set,
	 * which needs this launcher to run as root.
	 */
	private DriverIsolation driverIsolation() throws IOException {
		String user = this.settings.jobUser().orElse(null);
		if (user != null && !DriverIsolation.canSwitchUser()) {
			throw new IllegalStateException("RAYLANE_LOCAL_JOB_USER=" + user
					+ " needs the launcher to run as root with setpriv (util-linux); set it to none to run jobs as "
					+ System.getProperty("user.name"));
		}
		return new DriverIsolation(user, DriverRoot.create(this.settings.dataDir()));
	}

	/**
	 * A service other than the API: its own web port (/actuator/prometheus) on the
	 * services' address. Each of them switches Spring Security off in its own yaml, so
	 * the API's security jars on the shared classpath do not lock their actuator here
	 * either. Nor do they serve what only the API's jars bring: the OpenAPI document
	 * (springdoc) and the web console's files (issue 17: each cost every internal
	 * service's start its auto-configuration; their own jars have neither).
	 */
	private Map<String, Object> internal(Map<String, Object> common, int port) {
		Map<String, Object> props = new LinkedHashMap<>(common);
		props.put("server.port", port);
		props.put("server.address", this.settings.servicesAddress());
		props.put("springdoc.api-docs.enabled", "false");
		props.put("spring.web.resources.add-mappings", "false");
		props.put("spring.web.resources.static-locations", "");
		return props;
	}

	private Map<String, Object> commonProperties() {
		Map<String, Object> props = new LinkedHashMap<>();
		props.put("spring.kafka.bootstrap-servers", this.bootstrapServers);
		props.put("raylane.shared.root", this.settings.sharedRoot().toString());
		props.put("raylane.data.dir", this.settings.dataDir().toString());
		props.put("raylane.ray.address", this.rayAddress);
		// read from RAYLANE_RAY_AUTH_TOKEN(_FILE) once, or given by a test
		this.settings.rayAuthToken().ifPresent((token) -> props.put("raylane.ray.auth-token", token));
		// the observer scrapes http://<node ip>:<this port>/metrics of every Ray node
		int metricsPort = rayMetricsPort();
		if (metricsPort > 0) {
			props.put("raylane.ray.metrics-port", metricsPort);
		}
		if (this.localHead != null && System.getenv("RAYLANE_RAY_HEAD_ADDRESS") == null) {
			// the local head has no GCS port: the ray stand-in joins it on its HTTP port
			props.put("raylane.ray.head-address", "127.0.0.1:" + this.localHead.port());
		}
		if (this.realRay != null && System.getenv("RAYLANE_RAY_HEAD_ADDRESS") == null) {
			// the real local head's GCS is on a free port, not 6379
			props.put("raylane.ray.head-address", this.realRay.gcsAddress());
		}
		if (this.embeddedBroker) {
			// one broker: one replica (a test's extra properties may say otherwise)
			props.put("raylane.kafka.replication-factor", "1");
		}
		props.put("spring.main.banner-mode", "off");
		// a restarted stack (after kill -9) must not wait the default 45 s for its dead
		// predecessor's group
		// members to time out before it gets its partitions back
		props.put("spring.kafka.consumer.properties.session.timeout.ms", "10000");
		props.put("spring.kafka.consumer.properties.heartbeat.interval.ms", "2000");
		props.put("spring.kafka.streams.properties.session.timeout.ms", "10000");
		props.put("spring.kafka.streams.properties.heartbeat.interval.ms", "2000");
		// the local head runs short jobs: read their progress and sweep their checkpoints
		// often
		props.put("raylane.observer.progress-interval", "1s");
		props.put("raylane.submitter.retention-interval", "5s");
		// each service re-initialises logging; keep the embedded broker's own loggers
		// quiet
		EmbeddedKafkaBroker.quietLoggers().forEach((name, level) -> props.put("logging.level." + name, level));
		this.settings.usersFile()
			.ifPresentOrElse((file) -> props.put("raylane.users.file", file.toString()),
					() -> props.put("raylane.users.generate-dev-users", "true"));
		// jobs run as another user: their logs/ and checkpoints/ (and secrets/) are
		// theirs
		this.settings.jobUser().ifPresent((user) -> props.put("raylane.submitter.job-secrets.owner", user));
		props.putAll(this.extraProperties);
		return props;
	}

	private void start(String name, Supplier<SpringApplicationBuilder> builder, Map<String, Object> properties) {
		LocalService service = new LocalService(builder, properties);
		service.run();
		this.services.put(name, service);
		this.closeables.push(service);
	}

	/**
	 * Runs the scheduler and the other internal services at the same time. Each Spring
	 * Boot start configures the JVM's one Logback context anew, which is not safe while
	 * another does; so the scheduler's start configures logging for all of them, and the
	 * others begin once it has (its context prepared: Spring Boot's
	 * LoggingApplicationListener configures logging when the environment is prepared,
	 * before) and leave logging as it is ({@link LoggingKept}). Each one that started is
	 * closed with the stack, also when another failed; the first failure in
	 * {@link #SERVICES} order is thrown.
	 */
	private void startInternalServices(LocalService scheduler, Map<String, LocalService> others) throws Exception {
		CompletableFuture<Void> loggingConfigured = new CompletableFuture<>();
		AtomicBoolean schedulerFailed = new AtomicBoolean();
		Map<String, Callable<LocalService>> starts = new LinkedHashMap<>();
		starts.put(SCHEDULER, () -> {
			try {
				scheduler.run((event) -> {
					if (event instanceof ApplicationPreparedEvent) {
						loggingConfigured.complete(null);
					}
				});
				return scheduler;
			}
			catch (RuntimeException | Error ex) {
				schedulerFailed.set(true);
				throw ex;
			}
			finally {
				loggingConfigured.complete(null);
			}
		});
		for (String name : SERVICES) {
			LocalService service = others.get(name);
			if (service != null) {
				starts.put(name, () -> {
					loggingConfigured.join();
					if (schedulerFailed.get()) {
						throw new IllegalStateException(name + " not started: the scheduler did not start");
					}
					try (LoggingKept kept = LoggingKept.hold()) {
						service.run();
					}
					return service;
				});
			}
		}
		ParallelStart.all(starts, (name, service) -> {
			this.services.put(name, service);
			this.closeables.push(service);
		});
	}

	/**
	 * Closes one service's application context and runs a new one with the same
	 * properties, on the same web port (e.g. "kill and restart the observer" in an
	 * end-to-end test). The new instance resumes from Kafka (its committed offsets,
	 * transactions and state), as a restarted process would.
	 * @param service one of {@link #SERVICES}: api, scheduler, submitter, observer,
	 * node-agent
	 */
	public void restart(String service) {
		LocalService running = this.services.get(service);
		if (running == null) {
			throw new IllegalArgumentException("unknown service '" + service + "'; known: " + SERVICES);
		}
		running.restart();
	}

	/**
	 * Raylane restarted as a whole while Kafka and Ray keep running: closes every service
	 * (the API first, as {@link #close()} does), then runs them all again in start order
	 * with the same properties and web ports. Each resumes from Kafka (committed offsets,
	 * transactions, the scheduler's state stores in the data dir).
	 */
	public void restartServices() {
		List<LocalService> inStartOrder = List.copyOf(this.services.values());
		for (int i = inStartOrder.size() - 1; i >= 0; i--) {
			inStartOrder.get(i).close();
		}
		inStartOrder.forEach(LocalService::restart);
	}

	/**
	 * Each service's bound web port by name ({@link #SERVICES}); where
	 * /actuator/prometheus is served.
	 */
	public Map<String, Integer> servicePorts() {
		Map<String, Integer> ports = new LinkedHashMap<>();
		for (String name : SERVICES) {
			LocalService service = this.services.get(name);
			if (service != null) {
				ports.put(name, service.port());
			}
		}
		return ports;
	}

	/**
	 * The local head's worker metrics port ({@code http://<node ip>:<port>/metrics}), or
	 * the configured one.
	 */
	public int rayMetricsPort() {
		if (this.localHead != null) {
			return this.localHead.metricsPort();
		}
		return (this.realRay != null) ? this.realRay.metricsPort() : this.settings.rayMetricsPort();
	}

	private void lockDataDir() throws IOException {
		FileChannel channel = FileChannel.open(this.settings.dataDir().resolve("raylane.lock"),
				StandardOpenOption.CREATE, StandardOpenOption.WRITE);
		FileLock lock = channel.tryLock();
		if (lock == null) {
			channel.close();
			throw new IllegalStateException("another Raylane is running on data dir " + this.settings.dataDir());
		}
		this.closeables.push(channel);
	}

	public String bootstrapServers() {
		return this.bootstrapServers;
	}

	public String rayAddress() {
		return this.rayAddress;
	}

	/** The local Ray-compatible head, or null when a real Ray head is used. */
	public LocalRayHead localHead() {
		return this.localHead;
	}

	/** The real local Ray the stack started, or null. */
	public LocalRealRay realRay() {
		return this.realRay;
	}

	/** Which Ray the stack uses and why (its start-up log line). */
	public String rayDescription() {
		return this.rayDescription;
	}

	public int apiPort() {
		return this.services.get(API).port();
	}

	public String apiUrl() {
		return "http://127.0.0.1:" + apiPort();
	}

	public LocalStackSettings settings() {
		return this.settings;
	}

	@Override
	public void close() {
		while (!this.closeables.isEmpty()) {
			AutoCloseable closeable = this.closeables.pop();
			try {
				closeable.close();
			}
			catch (Exception ex) {
				log.warn("while stopping {}: {}", closeable.getClass().getSimpleName(), ex.toString());
			}
		}
	}

}
