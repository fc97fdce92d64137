package io.raylane.deploy;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.raylane.deploy.fleet.FleetScenario;
import io.raylane.deploy.fleet.OpenSshWorker;
import io.raylane.deploy.fleet.SshWorker;
import io.raylane.nodeagent.ssh.TestKeys;
import io.raylane.raystandin.RayStandIn;
import io.raylane.topics.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

/**
 * The fleet end to end on real parts: the all-in-one stack (no simulated workers of its
 * own), two worker "containers" that are real MINA SSHD servers with a real shell and the
 * {@code ray} stand-in on their PATH, an Ed25519 key. Nodes are registered through the
 * API; the node-agent runs {@code ray start} over SSH; the observer sees them in Ray; the
 * scheduler puts them ONLINE and dispatches a gang onto them; a drain ends with
 * {@code ray stop} and OFFLINE. The same flow runs against Debian's OpenSSH server when
 * {@code /usr/sbin/sshd} is installed (skipped with the reason otherwise). Also the
 * refusals: unknown host key, wrong key, unreachable host, hostile spec.
 */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetEndToEndTest {

	static final Duration WAIT = Duration.ofSeconds(60);

	static final String USER = System.getProperty("user.name");

	@TempDir
	static Path root;

	static LocalStack stack;

	static RaylaneClient admin;

	static RaylaneClient alice;

	static SshWorker workerA;

	static SshWorker workerB;

	static SshWorker stranger;

	/** Why the OpenSSH flow cannot run on this machine, or null when it can. */
	static String openSshProblem;

	static OpenSshWorker opensshA;

	static OpenSshWorker opensshB;

	/** Every log event of the run, to prove no key material or token is logged. */
	static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();

	@BeforeAll
	static void startStack() throws Exception {
		Path key = TestKeys.generate(root.resolve("id_ed25519"), "ed25519");
		Path keys = Files.createDirectories(root.resolve("keys"));
		TestKeys.generate(keys.resolve("wrong"), "ed25519");
		Path bin = root.resolve("bin");
		RayStandIn.install(bin);
		Path knownHosts = root.resolve("known_hosts");
		workerA = SshWorker.start("127.0.0.12", root, TestKeys.publicKey(key), bin);
		workerB = SshWorker.start("127.0.0.13", root, TestKeys.publicKey(key), bin);
		stranger = SshWorker.start("127.0.0.14", root, TestKeys.publicKey(key), bin);
		workerA.trustIn(knownHosts);
		workerB.trustIn(knownHosts);
		openSshProblem = OpenSshWorker.unavailable();
		if (openSshProblem == null) {
			try {
				opensshA = OpenSshWorker.start("127.0.0.16", root, Path.of(key + ".pub"), bin);
				opensshB = OpenSshWorker.start("127.0.0.17", root, Path.of(key + ".pub"), bin);
				opensshA.trustIn(knownHosts);
				opensshB.trustIn(knownHosts);
			}
			catch (Exception ex) {
				openSshProblem = "sshd did not start: " + ex.getMessage();
			}
		}
		LocalStackSettings settings = new LocalStackSettings(0, 0, Optional.empty(), Optional.empty(), 0, 0, 4,
				root.resolve("shared"), root.resolve("data"), Optional.empty());
		stack = LocalStack.start(settings,
				Map.of("raylane.ssh.key", key.toString(), "raylane.ssh.known-hosts", knownHosts.toString(),
						"raylane.node-agent.key-dir", keys.toString(), "raylane.node-agent.retry.max-retries", "2",
						"raylane.node-agent.retry.delay", "100ms", "raylane.node-agent.connect-timeout", "3s",
						"raylane.observer.poll-interval", "500ms"));
		// after the services started: each one re-initialises logging
		LOGS.start();
		((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
		Map<String, String> tokens = RaylaneClient.devTokens(stack.settings().dataDir());
		admin = new RaylaneClient(stack.apiUrl(), tokens.get("admin"));
		alice = admin.as(tokens.get("alice"));
		await().atMost(WAIT).until(() -> admin.as(null).get("/actuator/health").statusCode() == 200);
	}

	@Test
	@Order(Integer.MAX_VALUE)
	void shouldPutNoKeyMaterialOrTokenInAnyRecordOrLog() throws Exception {
		List<String> secrets = new java.util.ArrayList<>();
		for (Path keyFile : List.of(root.resolve("id_ed25519"), root.resolve("keys/wrong"))) {
			// the base64 body lines of each private key
			Files.readAllLines(keyFile).stream().filter((l) -> !l.startsWith("-----")).forEach(secrets::add);
		}
		secrets.addAll(RaylaneClient.devTokens(stack.settings().dataDir()).values());
		StringBuilder everything = new StringBuilder();
		for (String topic : List.of(io.raylane.topics.Topics.NODE_EVENTS.name(),
				io.raylane.topics.Topics.NODE_COMMANDS.name(), io.raylane.topics.Topics.NODE_STATES.name(),
				io.raylane.topics.Topics.DEAD_LETTERS.name(), io.raylane.topics.Topics.AUDIT.name())) {
			KafkaProbe.readAll(stack.bootstrapServers(), topic)
				.stream()
				.filter((v) -> v != null)
				.forEach((v) -> everything.append(new String(v)).append('\n'));
		}
		assertThat(everything.toString()).contains("Provisioned")
			.contains("ProvisionFailed")
			.contains("Decommissioned");
		synchronized (LOGS.list) {
			LOGS.list.forEach((e) -> everything.append(e.getFormattedMessage()).append('\n'));
		}
		assertThat(LOGS.list).isNotEmpty();
		for (String secret : secrets) {
			assertThat(everything.toString()).doesNotContain(secret);
		}
		assertThat(everything.toString()).doesNotContain("PRIVATE KEY");
	}

	@AfterAll
	static void stopStack() throws Exception {
		((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
		if (stack != null) {
			stack.close();
		}
		for (AutoCloseable worker : new AutoCloseable[] { workerA, workerB, stranger, opensshA, opensshB }) {
			if (worker != null) {
				worker.close();
			}
		}
	}

	static String spec(String id, String host, int port, String extra) {
		return "{\"node_id\":\"" + id + "\",\"host\":\"" + host + "\",\"port\":" + port + ",\"user\":\"" + USER
				+ "\",\"pool\":\"default\",\"gpus\":4,\"labels\":{\"zone\":\"a\"}" + extra + "}";
	}

	static void register(String body) {
		HttpResponse<String> response = admin.post("/v1/nodes", "application/json", body);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
	}

	/** The API and the local head as the shared scenario sees them. */
	static FleetScenario.Api api() {
		return new FleetScenario.Api() {
			@Override
			public int registerNode(String body) {
				return admin.post("/v1/nodes", "application/json", body).statusCode();
			}

			@Override
			public JsonNode node(String id) {
				return FleetEndToEndTest.node(id);
			}

			@Override
			public int drain(String id) {
				return admin.post("/v1/nodes/" + id + ":drain", null, "").statusCode();
			}

			@Override
			public String submit(String name, String command, int nnodes, int gpus, String pool) {
				return alice.submitYaml("""
						name: %s
						workload: command
						command: %s
						pool: %s
						resources: {nnodes: %d, n_gpus_per_node: %d}
						timeout: 10m
						""".formatted(name, Json.writeString(command), pool, nnodes, gpus));
			}

			@Override
			public JsonNode awaitJob(String id, String... statuses) {
				return alice.awaitStatus(id, WAIT, statuses);
			}

			@Override
			public int aliveRayWorkers() {
				return stack.localHead().aliveWorkers().size();
			}
		};
	}

	static JsonNode node(String id) {
		return Json.mapper().readTree(admin.get("/v1/nodes/" + id).body());
	}

	static JsonNode awaitState(String id, String state) {
		return await(id + " " + state).atMost(WAIT)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> node(id), (n) -> state.equals(n.path("state").asString()));
	}

	@Test
	void shouldProvisionOverSshDispatchAGangAndDrainANode() throws Exception {
		new FleetScenario(api(), root, USER, "default").run("gpu", workerA, workerB);
	}

	@Test
	void shouldProvisionGangAndDrainOverDebiansOpenSshServer() throws Exception {
		assumeTrue(openSshProblem == null, () -> "OpenSSH end to end skipped: " + openSshProblem);

		new FleetScenario(api(), root, USER, "openssh").run("ossh", opensshA, opensshB);
	}

	@Test
	void shouldRefuseAnUnknownHostKeyInStrictMode() {
		register(spec("gpu-stranger", stranger.ip(), stranger.port(), ""));

		JsonNode failed = awaitState("gpu-stranger", "FAILED");

		assertThat(failed.get("reason").asString()).contains("is not in the known_hosts file")
			.contains("RAYLANE_SSH_ACCEPT_NEW_HOST_KEYS");
		assertThat(stranger.rayRunning()).isFalse();
	}

	@Test
	void shouldFailProvisioningWithAWrongKey() {
		register(spec("gpu-wrong-key", workerA.ip(), workerA.port(), ",\"ssh_key\":\"wrong\""));

		JsonNode failed = awaitState("gpu-wrong-key", "FAILED");

		assertThat(failed.get("reason").asString()).contains("refused the key").doesNotContain("PRIVATE KEY");
	}

	@Test
	void shouldRetryAnUnreachableHostThenFail() throws Exception {
		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		register(spec("gpu-gone", "127.0.0.1", closed, ""));

		JsonNode failed = awaitState("gpu-gone", "FAILED");

		assertThat(failed.get("reason").asString()).contains("unreachable after 3 attempt(s)");
	}

	@Test
	void shouldRefuseAHostileSpecAndRunNothing() {
		Path pwned = root.resolve("pwned");
		List<String> hostile = List.of(spec("evil-host", "x;touch " + pwned, workerA.port(), ""),
				spec("evil-label", workerA.ip(), workerA.port(), "").replace("\"zone\":\"a\"",
						"\"zone\":\"a'$(touch " + pwned + ")'\""),
				spec("evil-user", workerA.ip(), workerA.port(), "").replace("\"user\":\"" + USER + "\"",
						"\"user\":\"`touch " + pwned + "`\""));

		for (String body : hostile) {
			HttpResponse<String> response = admin.post("/v1/nodes", "application/json", body);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		}

		assertThat(pwned).doesNotExist();
		assertThat(admin.get("/v1/nodes/evil-host").statusCode()).isEqualTo(404);
	}

}
