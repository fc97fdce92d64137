package io.raylane.deploy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kill -9 the all-in-one with jobs queued and running, start it again on the same data
 * dir: every job is still there and reaches a terminal state, and none is submitted to
 * Ray twice. Each job appends one line to its own marker file when its driver starts, so
 * a second submission would show as a second line.
 */
@Isolated
@Tag("slow")
class CrashRecoveryTest {

	@TempDir
	Path root;

	private Process stack;

	@AfterEach
	void stopStack() throws Exception {
		if (this.stack != null && this.stack.isAlive()) {
			this.stack.destroy(); // SIGTERM: a graceful close stops the local head's
									// drivers too
			if (!this.stack.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
				this.stack.destroyForcibly().waitFor();
			}
		}
	}

	@Test
	void shouldLoseNoJobAndSubmitNoneTwiceAcrossKillNine() throws Exception {
		Map<String, String> env = new HashMap<>(Map.of("SERVER_PORT", String.valueOf(freePort()), "RAYLANE_KAFKA_PORT",
				String.valueOf(freePort()), "RAYLANE_LOCAL_RAY_PORT", String.valueOf(freePort()), "RAYLANE_DATA_DIR",
				this.root.resolve("data").toString(), "RAYLANE_SHARED_ROOT", this.root.resolve("shared").toString()));
		// the other services' web ports and the Ray nodes' metrics port: free ones, not
		// the fixed defaults
		for (String port : List.of("RAYLANE_SCHEDULER_PORT", "RAYLANE_SUBMITTER_PORT", "RAYLANE_OBSERVER_PORT",
				"RAYLANE_NODE_AGENT_PORT", "RAYLANE_RAY_METRICS_PORT")) {
			env.put(port, "0");
		}
		// the stand-in's crash semantics, even where a Ray 2.60 is on PATH
		env.put("RAYLANE_LOCAL_RAY", "standin");
		// jobs as the launcher's user: they write their markers into this test's private
		// temp dir (JobIsolationEndToEndTest covers the job user)
		env.put("RAYLANE_LOCAL_JOB_USER", "none");
		Path markers = Files.createDirectories(this.root.resolve("markers"));
		this.stack = launch(env, "first");
		RaylaneClient alice = awaitUp(env);
		assertQuietStart(env);

		List<String> ids = new ArrayList<>();
		List<Path> markerFiles = new ArrayList<>();
		int[][] gangs = { { 1, 4 }, { 1, 4 }, { 1, 4 }, { 2, 4 }, { 1, 0 } };
		for (int i = 0; i < gangs.length; i++) {
			Path marker = markers.resolve("job-" + i);
			markerFiles.add(marker);
			ids.add(alice.submitYaml("""
					name: crash-%d
					workload: command
					command: echo started >> "$MARKER" && sleep 6
					resources: {nnodes: %d, n_gpus_per_node: %d}
					env: {MARKER: %s}
					""".formatted(i, gangs[i][0], gangs[i][1], marker)));
		}
		// two 1x4 jobs hold both nodes; the rest wait behind them
		alice.awaitStatus(ids.get(0), Duration.ofSeconds(60), "RUNNING");
		alice.awaitStatus(ids.get(1), Duration.ofSeconds(60), "RUNNING");
		alice.awaitStatus(ids.get(2), Duration.ofSeconds(60), "QUEUED");

		this.stack.destroyForcibly(); // SIGKILL: no shutdown hook runs
		this.stack.waitFor();
		this.stack = launch(env, "second");
		alice = awaitUp(env);

		for (String id : ids) {
			JsonNode job = alice.awaitStatus(id, Duration.ofSeconds(120), "SUCCEEDED", "FAILED", "STOPPED", "REJECTED",
					"TIMED_OUT");
			assertThat(job.get("status").asString()).as("job %s", id).isEqualTo("SUCCEEDED");
		}
		for (Path marker : markerFiles) {
			assertThat(Files.readAllLines(marker)).as("driver runs recorded in %s", marker).containsExactly("started");
		}
	}

	/**
	 * Issue 15, a quiet start (checked on this test's first start, to spare CI a start of
	 * its own): the console holds a screenful (what started, the URLs, the development
	 * users) while the full log, Kafka's configuration dumps included, is in the data
	 * directory.
	 */
	private void assertQuietStart(Map<String, String> env) throws IOException {
		Path console = this.root.resolve("stack-first.log");
		await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(console).contains("full log"));
		List<String> lines = Files.readAllLines(console);
		assertThat(lines).as("console lines at start-up:%n%s", String.join("\n", lines)).hasSizeLessThanOrEqualTo(40);
		assertThat(String.join("\n", lines)).contains("Raylane is up")
			.contains("web console   http://127.0.0.1:" + env.get("SERVER_PORT") + "/")
			.contains("LOCAL STACK dev users")
			.contains("alice=")
			.doesNotContain("ProducerConfig values");
		Path log = Path.of(env.get("RAYLANE_DATA_DIR"), "logs", "raylane.log");
		assertThat(log).content().contains("ProducerConfig values").contains("Started ");
	}

	private Process launch(Map<String, String> env, String name) throws IOException {
		String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		// the test classpath holds several logback-test.xml, about which logback would
		// print
		// its status on the console: the jar users start has none
		ProcessBuilder builder = new ProcessBuilder(java, "-Xmx768m", "-Djava.io.tmpdir=" + this.root,
				"-Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener", "-cp", classpath,
				AllInOne.class.getName());
		builder.environment().putAll(env);
		builder.redirectErrorStream(true);
		builder.redirectOutput(this.root.resolve("stack-" + name + ".log").toFile());
		return builder.start();
	}

	private RaylaneClient awaitUp(Map<String, String> env) {
		String api = "http://127.0.0.1:" + env.get("SERVER_PORT");
		RaylaneClient anonymous = new RaylaneClient(api, null);
		// generous: on a 2-core machine under load a cold all-in-one JVM has taken more
		// than 2 minutes to start
		await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).until(() -> {
			assertThat(this.stack.isAlive()).as("the stack process is alive (see its log under %s)", this.root)
				.isTrue();
			try {
				return anonymous.get("/actuator/health").statusCode() == 200;
			}
			catch (RuntimeException ex) {
				return false;
			}
		});
		Path data = Path.of(env.get("RAYLANE_DATA_DIR"));
		try {
			return new RaylaneClient(api, RaylaneClient.devTokens(data).get("alice"));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private final java.util.Set<Integer> portsGiven = new java.util.HashSet<>();

	/**
	 * A free port not given before in this test: two probes may be handed the same port.
	 */
	private int freePort() throws IOException {
		while (true) {
			try (ServerSocket socket = new ServerSocket(0)) {
				if (this.portsGiven.add(socket.getLocalPort())) {
					return socket.getLocalPort();
				}
			}
		}
	}

}
