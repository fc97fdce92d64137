package io.raylane.deploy.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.raylane.deploy.broker.EmbeddedKafkaBroker;

/**
 * Issue 17 goal 5: how long the all-in-one and each per-service jar take to be ready, and
 * how much memory they hold once idle. Each is started as a user starts it (the README's
 * {@code java -jar deploy/target/raylane.jar}, docs/deploy.md's
 * {@code java -Xmx1g -jar raylane-<service>.jar}), twice on the same data directory; the
 * second ("warm") start is measured: launch → {@code /actuator/health} UP, then, after
 * {@code bench.idleSeconds} of idling, the process's resident set (VmRSS of
 * /proc/&lt;pid&gt;/status) and the JVM's heap used and committed (its
 * {@code /actuator/prometheus}). The service jars run against an embedded KRaft broker in
 * this JVM, as {@code ServiceJarSmokeIT}'s do. Not a test: the {@code bench-footprint}
 * profile of {@code deploy} runs it (docs/benchmarks.md).
 *
 * <pre>
 * ./mvnw -B -ntp -pl deploy -DskipTests -Pbench-footprint verify
 * </pre>
 *
 * Options (system properties): {@code bench.idleSeconds} (30), {@code bench.only}
 * ({@code all-in-one}, {@code services} for the five jars, a jar's name such as
 * {@code raylane-api.jar}, or empty for all), {@code bench.allInOneJar} (another build of
 * the all-in-one, e.g. the one before a change), {@code bench.startTimeoutSeconds} (600),
 * {@code bench.allInOneJvmArgs} and {@code bench.serviceJvmArgs} (extra JVM options in
 * front of the launch's own, space separated; empty by default: the launch as
 * documented), {@code bench.launch} ({@code jar}, the default: the fat jar as documented;
 * {@code extracted}: the jar extracted first by {@code java -Djarmode=tools -jar X.jar
 * extract}; {@code cds}: extracted, one training start writes a dynamic AppCDS archive at
 * its exit, and the measured starts map it; {@link LaunchMode}), {@code bench.keep}
 * (true: the temp directory of data directories, extracted jars and archives is kept; by
 * default it is deleted at the end).
 */
public final class FootprintBenchmark {

	private static final String ADMIN_TOKEN = "footprint-admin-token-0123456789";

	private FootprintBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path root = repositoryRoot();
		int idleSeconds = Integer.getInteger("bench.idleSeconds", 30);
		String only = System.getProperty("bench.only", "");
		List<String> allInOneJvm = words(System.getProperty("bench.allInOneJvmArgs", ""));
		List<String> serviceJvm = words(System.getProperty("bench.serviceJvmArgs", ""));
		LaunchMode mode = LaunchMode.parse(System.getProperty("bench.launch", "jar"));
		Path work = Files.createTempDirectory("raylane-footprint");
		List<Footprint.Row> rows = new ArrayList<>();
		System.out.printf("Raylane footprint benchmark: %d cores, %d MB RAM, idle %d s, launch %s, load before: %s%n",
				Runtime.getRuntime().availableProcessors(), Footprint.totalMemoryMb(), idleSeconds, mode.label(),
				Footprint.loadAverage());
		if (only.isEmpty() || only.equals("all-in-one")) {
			// another build of it (e.g. the one before a change), else this checkout's
			Path jar = Path
				.of(System.getProperty("bench.allInOneJar", root.resolve("deploy/target/raylane.jar").toString()));
			rows.add(measure(mode, jar, allInOneJvm, work.resolve("all-in-one"), FootprintBenchmark::allInOne,
					idleSeconds));
		}
		if (!only.equals("all-in-one")) {
			try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"), 0)) {
				for (String[] service : SERVICE_JARS) {
					if (only.isEmpty() || only.equals("services") || only.equals(service[1])) {
						Path jar = root.resolve(service[0]).resolve("target").resolve(service[1]);
						// docs/deploy.md's systemd unit: java -Xmx1g -jar
						List<String> options = new ArrayList<>(List.of("-Xmx1g"));
						options.addAll(serviceJvm);
						rows.add(measure(mode, jar, options, work.resolve(service[0]),
								(home, run, jvm) -> serviceJar(home, run, service, jvm, broker.bootstrapServers()),
								idleSeconds));
					}
				}
			}
		}
		System.out.printf("%nload after: %s%n", Footprint.loadAverage());
		System.out.println(Footprint.table(rows));
		// data directories, extracted jars and CDS archives: hundreds of MB per jar
		if (!Boolean.getBoolean("bench.keep")) {
			org.springframework.util.FileSystemUtils.deleteRecursively(work);
		}
	}

	/** Module, jar name, whether its metrics need the admin token (the API's). */
	private static final String[][] SERVICE_JARS = { { "api", "raylane-api.jar", "token" },
			{ "scheduler-streams", "raylane-scheduler.jar", "" }, { "submitter", "raylane-submitter.jar", "" },
			{ "observer", "raylane-observer.jar", "" }, { "node-agent", "raylane-node-agent.jar", "" } };

	/** One jar's launch on a data directory of its own. */
	@FunctionalInterface
	private interface LaunchIn {

		Footprint.Launch at(Path home, Path jar, List<String> jvmOptions) throws IOException;

	}

	/**
	 * The cold/warm pair of one jar, launched as {@code mode} says. A CDS training start
	 * runs on a data directory of its own, so that the cold start still finds none.
	 */
	private static Footprint.Row measure(LaunchMode mode, Path jar, List<String> jvm, Path work, LaunchIn launchIn,
			int idleSeconds) throws Exception {
		Path run = jar;
		if (mode.extracts()) {
			run = Footprint.extract(jar, work.resolve("extracted"));
		}
		Path archive = work.resolve("app.jsa");
		if (mode == LaunchMode.CDS) {
			launchIn.at(work.resolve("train"), run, with(jvm, mode.options(LaunchMode.Stage.TRAIN, archive)))
				.train(archive);
		}
		return launchIn.at(work.resolve("measured"), run, with(jvm, mode.options(LaunchMode.Stage.MEASURE, archive)))
			.measureWarm(idleSeconds)
			.launchedAs(mode.label());
	}

	private static Footprint.Launch allInOne(Path home, Path jar, List<String> jvm) throws IOException {
		Map<String, String> env = new LinkedHashMap<>();
		int api = freePort();
		int scheduler = freePort();
		env.put("SERVER_PORT", String.valueOf(api));
		env.put("SERVER_ADDRESS", "127.0.0.1");
		env.put("RAYLANE_KAFKA_PORT", String.valueOf(freePort()));
		env.put("RAYLANE_SCHEDULER_PORT", String.valueOf(scheduler));
		env.put("RAYLANE_SUBMITTER_PORT", "0");
		env.put("RAYLANE_OBSERVER_PORT", "0");
		env.put("RAYLANE_NODE_AGENT_PORT", "0");
		// the Java stand-in, as with only a JDK; jobs as this user (none are run)
		env.put("RAYLANE_LOCAL_RAY", "standin");
		env.put("RAYLANE_LOCAL_RAY_PORT", "0");
		env.put("RAYLANE_RAY_METRICS_PORT", "0");
		env.put("RAYLANE_LOCAL_JOB_USER", "none");
		env.put("RAYLANE_DATA_DIR", home.resolve("data").toString());
		env.put("RAYLANE_SHARED_ROOT", home.resolve("shared").toString());
		// the scheduler's metrics: the same JVM's heap as the API's, without a token
		return new Footprint.Launch("all-in-one (" + jar.getFileName() + ")", jar, jvm, env, home,
				"http://127.0.0.1:" + api + "/actuator/health",
				"http://127.0.0.1:" + scheduler + "/actuator/prometheus", null);
	}

	private static Footprint.Launch serviceJar(Path home, Path jar, String[] service, List<String> jvm,
			String bootstrap) throws IOException {
		Files.createDirectories(home);
		Path users = Files.writeString(home.resolve("users.yaml"), """
				users:
				  - {name: ops, token: "%s", roles: [admin]}
				""".formatted(ADMIN_TOKEN));
		int port = freePort();
		Map<String, String> env = new LinkedHashMap<>();
		env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
		env.put("RAYLANE_KAFKA_REPLICATION_FACTOR", "1");
		env.put("SERVER_PORT", String.valueOf(port));
		env.put("SERVER_ADDRESS", "127.0.0.1");
		// nobody listens there; no service calls Ray while it has no work
		env.put("RAYLANE_RAY_ADDRESS", "http://127.0.0.1:" + freePort());
		env.put("RAYLANE_SHARED_ROOT", home.resolve("shared").toString());
		env.put("RAYLANE_DATA_DIR", home.resolve("data").toString());
		env.put("RAYLANE_USERS_FILE", users.toString());
		env.put("RAYLANE_SSH_KEY", home.resolve("ssh/id_ed25519").toString());
		env.put("RAYLANE_SSH_KNOWN_HOSTS", home.resolve("ssh/known_hosts").toString());
		String base = "http://127.0.0.1:" + port;
		return new Footprint.Launch(service[1], jar, jvm, env, home, base + "/actuator/health",
				base + "/actuator/prometheus", service[2].isEmpty() ? null : ADMIN_TOKEN);
	}

	/**
	 * The checkout: {@code raylane.root}, else the working directory or its parent,
	 * whichever has deploy/target.
	 */
	private static Path repositoryRoot() {
		String given = System.getProperty("raylane.root");
		if (given != null) {
			return Path.of(given).toAbsolutePath().normalize();
		}
		Path here = Path.of("").toAbsolutePath();
		return Files.isDirectory(here.resolve("deploy/target")) ? here : here.getParent();
	}

	private static List<String> with(List<String> options, List<String> more) {
		List<String> all = new ArrayList<>(options);
		all.addAll(more);
		return all;
	}

	private static List<String> words(String options) {
		return options.isBlank() ? List.of() : Arrays.asList(options.trim().split("\\s+"));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
