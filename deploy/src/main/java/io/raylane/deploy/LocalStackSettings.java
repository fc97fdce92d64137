package io.raylane.deploy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.raylane.deploy.localray.LocalRayMode;
import io.raylane.raystandin.DriverIsolation;
import io.raylane.raystandin.LocalRayHeadConfig;
import io.raylane.support.RaylaneSettings;

/**
 * What the all-in-one launcher needs to know, read from the environment (the README's
 * configuration table). Pure: {@link #fromEnvironment(Map)} takes the environment as a
 * map so it can be tested.
 *
 * @param apiPort SERVER_PORT (default 8080; 0 picks a free port)
 * @param kafkaPort RAYLANE_KAFKA_PORT, the embedded broker's listener on 127.0.0.1
 * (default 9092)
 * @param kafkaBootstrap RAYLANE_KAFKA_BOOTSTRAP; empty → start the embedded broker
 * @param rayAddress RAYLANE_RAY_ADDRESS; empty → start a local Ray ({@code localRay})
 * @param localRayPort RAYLANE_LOCAL_RAY_PORT, the local head's dashboard port (default
 * 8265; 0 picks a free port)
 * @param localWorkers RAYLANE_LOCAL_WORKERS, workers of the local head (default 2)
 * @param localWorkerGpus RAYLANE_LOCAL_WORKER_GPUS, (logical) GPUs of each local worker
 * (default 4)
 * @param sharedRoot RAYLANE_SHARED_ROOT (default ./.raylane/shared)
 * @param dataDir RAYLANE_DATA_DIR: the embedded broker's log, state stores, the local
 * head (default ./.raylane/data)
 * @param usersFile RAYLANE_USERS_FILE; empty → dev users with random tokens
 * @param servicePorts the other services' web ports (/actuator/prometheus,
 * /actuator/health)
 * @param servicesAddress RAYLANE_SERVICES_ADDRESS, the address those four services bind
 * (default 127.0.0.1; the API binds every address unless SERVER_ADDRESS says otherwise)
 * @param rayMetricsPort RAYLANE_RAY_METRICS_PORT, each Ray node's metrics port: the local
 * head's workers serve on it (0 picks a free one), and the observer scrapes it (default
 * 9250)
 * @param rayAuthToken RAYLANE_RAY_AUTH_TOKEN, or the content of
 * RAYLANE_RAY_AUTH_TOKEN_FILE: the Ray cluster's token, which every service sends; the
 * local head then requires it too
 * @param localRay RAYLANE_LOCAL_RAY: without {@code rayAddress}, a real local Ray (when
 * Ray 2.60 is on PATH, or always) or the Java stand-in (default {@code auto} from the
 * environment; tests get the stand-in)
 * @param jobUser RAYLANE_LOCAL_JOB_USER: the OS user the Java stand-in head runs job
 * processes as (issue 12: a job must not read Raylane's data directory and tokens).
 * Default {@code nobody} when the launcher runs as root and {@code setpriv} exists;
 * {@code none} or a launcher that is not root: jobs run as the launcher's own user
 * @param apiAddress SERVER_ADDRESS, the address the API binds; empty → every address
 * (tests get 127.0.0.1: a Tomcat bound to every address unblocks its acceptor on close by
 * connecting to a non-loopback address of the machine, which the tests' LoopbackOnly
 * guard refuses)
 */
public record LocalStackSettings(int apiPort, int kafkaPort, Optional<String> kafkaBootstrap,
		Optional<String> rayAddress, int localRayPort, int localWorkers, int localWorkerGpus, Path sharedRoot,
		Path dataDir, Optional<Path> usersFile, ServicePorts servicePorts, String servicesAddress, int rayMetricsPort,
		Optional<String> rayAuthToken, LocalRayMode localRay, Optional<String> jobUser, Optional<String> apiAddress) {

	static final String LOOPBACK = "127.0.0.1";

	/**
	 * Web ports of the services other than the API; 0 picks a free port.
	 *
	 * @param scheduler RAYLANE_SCHEDULER_PORT (default 9201)
	 * @param submitter RAYLANE_SUBMITTER_PORT (default 9202)
	 * @param observer RAYLANE_OBSERVER_PORT (default 9203)
	 * @param nodeAgent RAYLANE_NODE_AGENT_PORT (default 9204)
	 */
	public record ServicePorts(int scheduler, int submitter, int observer, int nodeAgent) {

		public static final ServicePorts DEFAULTS = new ServicePorts(9201, 9202, 9203, 9204);

		public static final ServicePorts FREE = new ServicePorts(0, 0, 0, 0);

	}

	/**
	 * The job user of a launcher running as root, unless RAYLANE_LOCAL_JOB_USER says
	 * otherwise.
	 */
	static final String DEFAULT_JOB_USER = "nobody";

	public LocalStackSettings {
		localRay = (localRay != null) ? localRay : LocalRayMode.STANDIN;
		jobUser = (jobUser != null) ? jobUser : Optional.empty();
		apiAddress = (apiAddress != null) ? apiAddress : Optional.empty();
	}

	/**
	 * Settings whose jobs run as the launcher's own user and whose API binds every
	 * address.
	 */
	public LocalStackSettings(int apiPort, int kafkaPort, Optional<String> kafkaBootstrap, Optional<String> rayAddress,
			int localRayPort, int localWorkers, int localWorkerGpus, Path sharedRoot, Path dataDir,
			Optional<Path> usersFile, ServicePorts servicePorts, String servicesAddress, int rayMetricsPort,
			Optional<String> rayAuthToken, LocalRayMode localRay) {
		this(apiPort, kafkaPort, kafkaBootstrap, rayAddress, localRayPort, localWorkers, localWorkerGpus, sharedRoot,
				dataDir, usersFile, servicePorts, servicesAddress, rayMetricsPort, rayAuthToken, localRay,
				Optional.empty(), Optional.empty());
	}

	/**
	 * Settings with free service and Ray metrics ports, every service and the API bound
	 * to 127.0.0.1, and the Java stand-in (what tests used before those existed).
	 */
	public LocalStackSettings(int apiPort, int kafkaPort, Optional<String> kafkaBootstrap, Optional<String> rayAddress,
			int localRayPort, int localWorkers, int localWorkerGpus, Path sharedRoot, Path dataDir,
			Optional<Path> usersFile) {
		this(apiPort, kafkaPort, kafkaBootstrap, rayAddress, localRayPort, localWorkers, localWorkerGpus, sharedRoot,
				dataDir, usersFile, ServicePorts.FREE, LOOPBACK, 0, Optional.empty(), LocalRayMode.STANDIN,
				Optional.empty(), Optional.of(LOOPBACK));
	}

	/**
	 * The settings of {@code env}; jobs run as {@value #DEFAULT_JOB_USER} by default when
	 * this process may switch users.
	 */
	public static LocalStackSettings fromEnvironment(Map<String, String> env) {
		return fromEnvironment(env, DriverIsolation.canSwitchUser());
	}

	/**
	 * @param canSwitchUser whether the launcher runs as root with {@code setpriv}: only
	 * then may jobs run as another user
	 */
	static LocalStackSettings fromEnvironment(Map<String, String> env, boolean canSwitchUser) {
		// an explicit user is kept even where it cannot work: the stack then refuses to
		// start rather than run jobs as itself
		Optional<String> jobUser = textOf(env, "RAYLANE_LOCAL_JOB_USER")
			.or(() -> canSwitchUser ? Optional.of(DEFAULT_JOB_USER) : Optional.empty())
			.filter((user) -> !user.equals("none"));
		return fromEnvironmentAs(env).withJobUser(jobUser.orElse(null));
	}

	private static LocalStackSettings fromEnvironmentAs(Map<String, String> env) {
		ServicePorts d = ServicePorts.DEFAULTS;
		return new LocalStackSettings(intOf(env, "SERVER_PORT", 8080), intOf(env, "RAYLANE_KAFKA_PORT", 9092),
				textOf(env, "RAYLANE_KAFKA_BOOTSTRAP"), textOf(env, "RAYLANE_RAY_ADDRESS"),
				intOf(env, "RAYLANE_LOCAL_RAY_PORT", 8265), intOf(env, "RAYLANE_LOCAL_WORKERS", 2),
				intOf(env, "RAYLANE_LOCAL_WORKER_GPUS", 4), pathOf(env, "RAYLANE_SHARED_ROOT", "./.raylane/shared"),
				pathOf(env, "RAYLANE_DATA_DIR", "./.raylane/data"), textOf(env, "RAYLANE_USERS_FILE").map(Path::of),
				new ServicePorts(intOf(env, "RAYLANE_SCHEDULER_PORT", d.scheduler()),
						intOf(env, "RAYLANE_SUBMITTER_PORT", d.submitter()),
						intOf(env, "RAYLANE_OBSERVER_PORT", d.observer()),
						intOf(env, "RAYLANE_NODE_AGENT_PORT", d.nodeAgent())),
				textOf(env, "RAYLANE_SERVICES_ADDRESS").orElse(LOOPBACK),
				intOf(env, "RAYLANE_RAY_METRICS_PORT", LocalRayHeadConfig.DEFAULT_METRICS_PORT),
				// the services' own reading of the same two variables (RaylaneSettings)
				Optional.ofNullable(new RaylaneSettings.Ray(null, env.get("RAYLANE_RAY_AUTH_TOKEN"),
						textOf(env, "RAYLANE_RAY_AUTH_TOKEN_FILE").map(Path::of).orElse(null))
					.resolvedAuthToken()),
				LocalRayMode.parse(env.get("RAYLANE_LOCAL_RAY")), Optional.empty(), textOf(env, "SERVER_ADDRESS"));
	}

	/**
	 * The same settings for a test: free ports everywhere, everything under {@code root},
	 * every service and the API on 127.0.0.1, the Java stand-in whatever is on PATH.
	 */
	public static LocalStackSettings forTest(Path root) {
		return new LocalStackSettings(0, 0, Optional.empty(), Optional.empty(), 0, 2, 4, root.resolve("shared"),
				root.resolve("data"), Optional.empty(), ServicePorts.FREE, LOOPBACK, 0, Optional.empty(),
				LocalRayMode.STANDIN, Optional.empty(), Optional.of(LOOPBACK));
	}

	public LocalStackSettings withApiPort(int port) {
		return new LocalStackSettings(port, this.kafkaPort, this.kafkaBootstrap, this.rayAddress, this.localRayPort,
				this.localWorkers, this.localWorkerGpus, this.sharedRoot, this.dataDir, this.usersFile,
				this.servicePorts, this.servicesAddress, this.rayMetricsPort, this.rayAuthToken, this.localRay,
				this.jobUser, this.apiAddress);
	}

	/** The same stack with this choice of local Ray (RAYLANE_LOCAL_RAY). */
	public LocalStackSettings withLocalRay(LocalRayMode mode) {
		return new LocalStackSettings(this.apiPort, this.kafkaPort, this.kafkaBootstrap, this.rayAddress,
				this.localRayPort, this.localWorkers, this.localWorkerGpus, this.sharedRoot, this.dataDir,
				this.usersFile, this.servicePorts, this.servicesAddress, this.rayMetricsPort, this.rayAuthToken, mode,
				this.jobUser, this.apiAddress);
	}

	/**
	 * The same stack on a given Kafka cluster instead of the embedded broker (the
	 * services create their topics with their {@code raylane.kafka.*} settings).
	 */
	public LocalStackSettings withKafkaBootstrap(String bootstrap) {
		return new LocalStackSettings(this.apiPort, this.kafkaPort,
				Optional.ofNullable(bootstrap).filter((b) -> !b.isBlank()), this.rayAddress, this.localRayPort,
				this.localWorkers, this.localWorkerGpus, this.sharedRoot, this.dataDir, this.usersFile,
				this.servicePorts, this.servicesAddress, this.rayMetricsPort, this.rayAuthToken, this.localRay,
				this.jobUser, this.apiAddress);
	}

	/** The same stack with the Ray cluster's token (the local head requires it). */
	public LocalStackSettings withRayAuthToken(String token) {
		return new LocalStackSettings(this.apiPort, this.kafkaPort, this.kafkaBootstrap, this.rayAddress,
				this.localRayPort, this.localWorkers, this.localWorkerGpus, this.sharedRoot, this.dataDir,
				this.usersFile, this.servicePorts, this.servicesAddress, this.rayMetricsPort,
				Optional.ofNullable(token).filter((t) -> !t.isBlank()), this.localRay, this.jobUser, this.apiAddress);
	}

	/** The same stack against a real Ray head instead of the local one. */
	public LocalStackSettings withRayAddress(String address) {
		return new LocalStackSettings(this.apiPort, this.kafkaPort, this.kafkaBootstrap,
				Optional.ofNullable(address).filter((a) -> !a.isBlank()), this.localRayPort, this.localWorkers,
				this.localWorkerGpus, this.sharedRoot, this.dataDir, this.usersFile, this.servicePorts,
				this.servicesAddress, this.rayMetricsPort, this.rayAuthToken, this.localRay, this.jobUser,
				this.apiAddress);
	}

	/**
	 * The same stack with this metrics port on every Ray node (a real cluster pins it
	 * with {@code --metrics-export-port}): the observer scrapes it.
	 */
	public LocalStackSettings withRayMetricsPort(int port) {
		return new LocalStackSettings(this.apiPort, this.kafkaPort, this.kafkaBootstrap, this.rayAddress,
				this.localRayPort, this.localWorkers, this.localWorkerGpus, this.sharedRoot, this.dataDir,
				this.usersFile, this.servicePorts, this.servicesAddress, port, this.rayAuthToken, this.localRay,
				this.jobUser, this.apiAddress);
	}

	/**
	 * The same stack with its jobs run as {@code user} (null: as the launcher's user),
	 * which needs the launcher to run as root.
	 */
	public LocalStackSettings withJobUser(String user) {
		return new LocalStackSettings(this.apiPort, this.kafkaPort, this.kafkaBootstrap, this.rayAddress,
				this.localRayPort, this.localWorkers, this.localWorkerGpus, this.sharedRoot, this.dataDir,
				this.usersFile, this.servicePorts, this.servicesAddress, this.rayMetricsPort, this.rayAuthToken,
				this.localRay, Optional.ofNullable(user).filter((u) -> !u.isBlank()), this.apiAddress);
	}

	/** Without the token. */
	@Override
	public String toString() {
		return "LocalStackSettings[apiPort=" + this.apiPort + ", kafkaPort=" + this.kafkaPort + ", kafkaBootstrap="
				+ this.kafkaBootstrap + ", rayAddress=" + this.rayAddress + ", localRayPort=" + this.localRayPort
				+ ", localWorkers=" + this.localWorkers + ", localWorkerGpus=" + this.localWorkerGpus + ", sharedRoot="
				+ this.sharedRoot + ", dataDir=" + this.dataDir + ", usersFile=" + this.usersFile + ", servicePorts="
				+ this.servicePorts + ", servicesAddress=" + this.servicesAddress + ", rayMetricsPort="
				+ this.rayMetricsPort + ", rayAuthToken=" + (this.rayAuthToken.isPresent() ? "***" : "none")
				+ ", localRay=" + this.localRay + ", jobUser=" + this.jobUser + ", apiAddress=" + this.apiAddress + "]";
	}

	private static Optional<String> textOf(Map<String, String> env, String name) {
		String value = env.get(name);
		return (value == null || value.isBlank()) ? Optional.empty() : Optional.of(value.trim());
	}

	private static int intOf(Map<String, String> env, String name, int fallback) {
		Optional<String> value = textOf(env, name);
		if (value.isEmpty()) {
			return fallback;
		}
		try {
			return Integer.parseInt(value.get());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(name + " must be a number, got '" + value.get() + "'", ex);
		}
	}

	private static Path pathOf(Map<String, String> env, String name, String fallback) {
		return Path.of(textOf(env, name).orElse(fallback)).toAbsolutePath().normalize();
	}

}
