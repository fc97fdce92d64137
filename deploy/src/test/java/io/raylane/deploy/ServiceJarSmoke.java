package io.raylane.deploy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each service's executable jar, as {@code ./mvnw package} leaves it in
 * {@code <module>/target}, started alone with {@code java -jar} and configured by
 * environment variables only, against one Kafka broker and nothing else (Ray's address is
 * a loopback port nobody listens on: no service needs Ray to start). Its
 * {@code /actuator/health} answers UP and its {@code /actuator/prometheus} 200: the API's
 * only with a token from its users file, the other four without one but on loopback only.
 * Which broker is the subclass's: {@link ServiceJarSmokeIT} an embedded one,
 * {@link ServiceJarKafkaContainerIT} Kafka in a Testcontainers container (issue 16 item
 * 7). Run by failsafe in {@code verify}, after the jars exist.
 */
abstract class ServiceJarSmoke {

	/**
	 * The repository's root, where the modules are; failsafe sets it (deploy/pom.xml).
	 */
	private static final Path ROOT = Path.of(System.getProperty("raylane.root", "..")).toAbsolutePath().normalize();

	private static final Duration START_TIMEOUT = Duration.ofSeconds(150);

	private static final String ADMIN_TOKEN = "smoke-admin-token-0123456789";

	private static final String USER_TOKEN = "smoke-user-token-0123456789";

	@TempDir
	static Path dir;

	private static final Set<Integer> portsGiven = new HashSet<>();

	private Process service;

	record ServiceJar(String module, String jar, boolean api) {

		Path path() {
			return ROOT.resolve(this.module).resolve("target").resolve(this.jar);
		}

		@Override
		public String toString() {
			return this.jar;
		}

	}

	static Stream<ServiceJar> jars() {
		return Stream.of(new ServiceJar("api", "raylane-api.jar", true),
				new ServiceJar("scheduler-streams", "raylane-scheduler.jar", false),
				new ServiceJar("submitter", "raylane-submitter.jar", false),
				new ServiceJar("observer", "raylane-observer.jar", false),
				new ServiceJar("node-agent", "raylane-node-agent.jar", false));
	}

	/** The broker's bootstrap address the services are given. */
	abstract String bootstrapServers();

	@AfterEach
	void stopService() throws InterruptedException {
		if (this.service == null) {
			return;
		}
		// SIGTERM first, so that the service leaves its consumer groups and the next one
		// starts at once
		this.service.destroy();
		if (!this.service.waitFor(30, TimeUnit.SECONDS)) {
			this.service.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
		}
		assertThat(this.service.isAlive()).as("the service process has stopped").isFalse();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("jars")
	void shouldStartAloneAndServeHealthAndMetrics(ServiceJar jar) throws Exception {
		assumeTrue(Files.isRegularFile(jar.path()),
				() -> jar.path() + " is not built; run ./mvnw -B -ntp -DskipTests package (or verify) first");
		Path home = Files.createDirectories(dir.resolve(jar.module()));
		int port = freePort();
		long start = System.nanoTime();
		this.service = launch(jar, home, environment(home, port));
		String base = "http://127.0.0.1:" + port;
		RaylaneClient anonymous = new RaylaneClient(base, null);
		awaitHealthUp(anonymous, home.resolve("service.log"));
		double secondsToUp = (System.nanoTime() - start) / 1e9;

		if (jar.api()) {
			assertThat(anonymous.get("/actuator/prometheus").statusCode()).isEqualTo(401);
			assertThat(anonymous.as("not-a-token").get("/actuator/prometheus").statusCode()).isEqualTo(401);
			assertMetrics(anonymous.as(ADMIN_TOKEN).get("/actuator/prometheus"), "raylane_jobs{");
		}
		else {
			assertMetrics(anonymous.get("/actuator/prometheus"), "jvm_memory_used_bytes");
			// the default address is loopback's 127.0.0.1 only, not every address
			assertThatThrownBy(() -> connect("127.0.0.2", port)).isInstanceOf(ConnectException.class);
		}
		System.out.printf("%s: health UP after %.1f s, RSS %s, jar %d MB%n", jar, secondsToUp, rss(this.service),
				Files.size(jar.path()) / (1024 * 1024));
	}

	/**
	 * The all-in-one's variable names, a temp dir for every path, free ports for
	 * everything that listens.
	 */
	private Map<String, String> environment(Path home, int port) throws IOException {
		Path users = Files.writeString(home.resolve("users.yaml"), """
				users:
				  - {name: ops, token: "%s", roles: [admin]}
				  - {name: alice, token: "%s", roles: [user]}
				""".formatted(ADMIN_TOKEN, USER_TOKEN));
		Map<String, String> env = new LinkedHashMap<>();
		env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
		// one broker: the production default of 3 replicas could not be met
		env.put("RAYLANE_KAFKA_REPLICATION_FACTOR", "1");
		env.put("SERVER_PORT", String.valueOf(port));
		// nobody listens there; each service calls Ray only when it has work
		env.put("RAYLANE_RAY_ADDRESS", "http://127.0.0.1:" + freePort());
		env.put("RAYLANE_SHARED_ROOT", home.resolve("shared").toString());
		env.put("RAYLANE_DATA_DIR", home.resolve("data").toString());
		env.put("RAYLANE_USERS_FILE", users.toString());
		env.put("RAYLANE_SSH_KEY", home.resolve("ssh/id_ed25519").toString());
		env.put("RAYLANE_SSH_KNOWN_HOSTS", home.resolve("ssh/known_hosts").toString());
		return env;
	}

	private static Process launch(ServiceJar jar, Path home, Map<String, String> env) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		// the temp dir only keeps Tomcat's and RocksDB's scratch files out of /tmp; it
		// configures nothing of ours
		ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-Djava.io.tmpdir=" + home, "-jar",
				jar.path().toString());
		// only what this test sets: no SPRING_* / RAYLANE_* / SERVER_* of the machine
		// running it
		builder.environment()
			.keySet()
			.removeIf((name) -> name.startsWith("SPRING_") || name.startsWith("RAYLANE_") || name.startsWith("SERVER_")
					|| name.startsWith("MANAGEMENT_"));
		builder.environment().putAll(env);
		builder.directory(home.toFile());
		builder.redirectErrorStream(true);
		builder.redirectOutput(home.resolve("service.log").toFile());
		return builder.start();
	}

	private void awaitHealthUp(RaylaneClient anonymous, Path log) throws Exception {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		HttpResponse<String> last = null;
		while (System.nanoTime() < deadline) {
			if (!this.service.isAlive()) {
				fail("the service exited with %d:%n%s", this.service.exitValue(), tail(log));
			}
			try {
				last = anonymous.get("/actuator/health");
				if (last.statusCode() == 200 && last.body().contains("\"UP\"")) {
					return;
				}
			}
			catch (RuntimeException ex) {
				// not listening yet
			}
			Thread.sleep(250);
		}
		fail("no health UP within %s (last answer: %s):%n%s", START_TIMEOUT,
				(last != null) ? last.statusCode() + " " + last.body() : "none", tail(log));
	}

	private static void assertMetrics(HttpResponse<String> metrics, String expected) {
		assertThat(metrics.statusCode()).isEqualTo(200);
		assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains(expected);
	}

	private static void connect(String host, int port) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 2000);
		}
	}

	/** The process's resident set from /proc (Linux), for the log line only. */
	private static String rss(Process process) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
				if (line.startsWith("VmRSS:")) {
					long kb = Long.parseLong(line.replaceAll("\\D", ""));
					return (kb / 1024) + " MB";
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// not Linux: no number
		}
		return "n/a";
	}

	private static String tail(Path log) throws IOException {
		if (!Files.exists(log)) {
			return "(no output)";
		}
		List<String> lines = Files.readAllLines(log);
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
	}

	/**
	 * A free port not given before in this class: two probes may be handed the same port.
	 */
	static int freePort() throws IOException {
		while (true) {
			try (ServerSocket socket = new ServerSocket(0)) {
				if (portsGiven.add(socket.getLocalPort())) {
					return socket.getLocalPort();
				}
			}
		}
	}

}
