package io.raylane.deploy.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.raylane.api.ApiApplication;
import io.raylane.deploy.broker.EmbeddedKafkaBroker;
import io.raylane.deploy.fleet.OpenSshWorker;
import io.raylane.nodeagent.NodeAgentApplication;
import io.raylane.nodeagent.ssh.TestKeys;
import io.raylane.observer.ObserverApplication;
import io.raylane.raystandin.RayStandIn;
import io.raylane.scheduler.SchedulerApplication;
import io.raylane.submitter.SubmitterApplication;
import io.raylane.topics.TopicCreator;

/**
 * What the fault campaign runs on, every part on 127.x: the embedded broker (in the test
 * JVM), the Java Ray stand-in head in its own JVM ({@link StandInHeadMain}; simulated
 * 4-GPU workers on 127.0.0.2…), each of the five services in its own JVM, and one host
 * served by OpenSSH's sshd (127.0.0.20) with the {@code ray} stand-in on its PATH. Users
 * come from a users file. {@link #close()} stops every process it started.
 */
public final class CampaignStack implements AutoCloseable {

	public static final List<String> SERVICES = List.of("scheduler", "submitter", "observer", "node-agent", "api");

	public static final List<String> USERS = List.of("alice", "bob", "carol", "dave");

	static final String SSH_IP = "127.0.0.20";

	private static final Map<String, String> MAIN_CLASSES = Map.of("scheduler", SchedulerApplication.class.getName(),
			"submitter", SubmitterApplication.class.getName(), "observer", ObserverApplication.class.getName(),
			"node-agent", NodeAgentApplication.class.getName(), "api", ApiApplication.class.getName());

	private final Path root;

	private final Set<Integer> portsGiven = new HashSet<>();

	private final Map<String, ChildJvm> services = new LinkedHashMap<>();

	private final Map<String, Integer> ports = new LinkedHashMap<>();

	private final Map<String, String> tokens = new LinkedHashMap<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private EmbeddedKafkaBroker broker;

	private ChildJvm head;

	private int headPort;

	private OpenSshWorker ssh;

	/** Stops the processes should the test's JVM end without closing the stack. */
	private final Thread onExit = new Thread(this::stopAll, "campaign-stack-exit");

	private CampaignStack(Path root) {
		this.root = root;
		Runtime.getRuntime().addShutdownHook(this.onExit);
	}

	/**
	 * Starts everything and waits until every service answers health UP.
	 * @param schedulerProperties extra scheduler properties (e.g. a shorter retry
	 * back-off for the short form)
	 */
	public static CampaignStack start(Path root, Map<String, String> schedulerProperties) throws Exception {
		CampaignStack stack = new CampaignStack(root);
		try {
			stack.startAll(schedulerProperties);
			return stack;
		}
		catch (Exception | Error ex) {
			stack.close();
			throw ex;
		}
	}

	private void startAll(Map<String, String> schedulerProperties) throws Exception {
		Path data = Files.createDirectories(this.root.resolve("data"));
		Path shared = Files.createDirectories(this.root.resolve("shared"));
		Path logs = Files.createDirectories(this.root.resolve("logs"));
		this.broker = EmbeddedKafkaBroker.start(this.root.resolve("kafka"), 0);
		TopicCreator.ensureTopics(this.broker.bootstrapServers(), (short) 1);

		this.headPort = freePort();
		int metricsPort = freePort();
		this.head = new ChildJvm("ray-head", StandInHeadMain.class.getName(), List.of("-Xmx256m", "-XX:+UseSerialGC"),
				List.of(data.resolve("local-ray").toString(), String.valueOf(this.headPort),
						String.valueOf(metricsPort), "4", "4"),
				logs);
		this.head.start();

		Path key = TestKeys.generate(this.root.resolve("id_ed25519"), "ed25519");
		Path knownHosts = this.root.resolve("known_hosts");
		// the directory goes on the host's PATH (install returns the script's own path)
		Path bin = this.root.resolve("bin");
		RayStandIn.install(bin);
		this.ssh = OpenSshWorker.start(SSH_IP, this.root, Path.of(key + ".pub"), bin);
		this.ssh.trustIn(knownHosts);

		Path users = writeUsers();
		Map<String, String> common = new LinkedHashMap<>();
		common.put("spring.kafka.bootstrap-servers", this.broker.bootstrapServers());
		common.put("raylane.kafka.replication-factor", "1");
		common.put("raylane.shared.root", shared.toString());
		common.put("raylane.data.dir", data.toString());
		common.put("raylane.users.file", users.toString());
		common.put("raylane.ray.address", "http://127.0.0.1:" + this.headPort);
		common.put("raylane.ray.head-address", "127.0.0.1:" + this.headPort);
		common.put("raylane.ray.metrics-port", String.valueOf(metricsPort));
		common.put("server.address", "127.0.0.1");
		common.put("spring.main.banner-mode", "off");
		// a killed service's successor must not wait the default 45 s for the dead
		// member of its group to time out
		for (String client : List.of("consumer", "streams")) {
			common.put("spring.kafka." + client + ".properties.session.timeout.ms", "10000");
			common.put("spring.kafka." + client + ".properties.heartbeat.interval.ms", "2000");
		}
		common.put("raylane.observer.progress-interval", "1s");
		common.put("raylane.submitter.retention-interval", "5s");
		Map<String, Map<String, String>> own = Map.of("scheduler", schedulerProperties, "observer",
				Map.of("raylane.observer.poll-interval", "1s", "raylane.observer.accounting-interval", "5s"),
				"node-agent",
				// retries that outlast an SSH flap of seconds
				Map.of("raylane.ssh.key", key.toString(), "raylane.ssh.known-hosts", knownHosts.toString(),
						"raylane.node-agent.connect-timeout", "3s", "raylane.node-agent.retry.max-retries", "40",
						"raylane.node-agent.retry.delay", "500ms", "raylane.node-agent.retry.max-delay", "2s"));
		for (String service : SERVICES) {
			int port = freePort();
			this.ports.put(service, port);
			List<String> args = new ArrayList<>();
			common.forEach((k, v) -> args.add("--" + k + "=" + v));
			own.getOrDefault(service, Map.of()).forEach((k, v) -> args.add("--" + k + "=" + v));
			args.add("--server.port=" + port);
			ChildJvm jvm = new ChildJvm(service, MAIN_CLASSES.get(service),
					List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), args, logs);
			this.services.put(service, jvm);
		}
		awaitHead(Duration.ofMinutes(2));
		this.services.values().forEach(ChildJvm::start);
		for (String service : SERVICES) {
			awaitHealthy(service, Duration.ofMinutes(5));
		}
	}

	private Path writeUsers() throws IOException {
		StringBuilder yaml = new StringBuilder("users:\n");
		for (String user : concat("admin", USERS)) {
			String token = user + "-campaign-token-" + Long.toHexString(System.nanoTime()) + "-0123456789";
			this.tokens.put(user, token);
			yaml.append("  - {name: ")
				.append(user)
				.append(", token: \"")
				.append(token)
				.append("\", roles: [")
				.append(user.equals("admin") ? "admin" : "user")
				.append("]}\n");
		}
		Path file = this.root.resolve("users.yaml");
		Files.writeString(file, yaml);
		return file;
	}

	private static List<String> concat(String first, List<String> rest) {
		List<String> all = new ArrayList<>(List.of(first));
		all.addAll(rest);
		return all;
	}

	public void awaitHead(Duration atMost) throws InterruptedException {
		awaitOk("ray head", () -> this.head.isAlive(), rayUrl() + "/api/version", atMost);
	}

	public void awaitHealthy(String service, Duration atMost) throws InterruptedException {
		ChildJvm jvm = this.services.get(service);
		awaitOk(service, jvm::isAlive, serviceUrl(service) + "/actuator/health", atMost);
	}

	/** Whether the service answers health UP now. */
	public boolean healthy(String service) {
		try {
			HttpResponse<String> answer = this.http
				.send(HttpRequest.newBuilder(URI.create(serviceUrl(service) + "/actuator/health"))
					.timeout(Duration.ofSeconds(10))
					.build(), HttpResponse.BodyHandlers.ofString());
			return answer.statusCode() == 200 && answer.body().contains("\"UP\"");
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private void awaitOk(String what, java.util.function.BooleanSupplier alive, String url, Duration atMost)
			throws InterruptedException {
		long deadline = System.nanoTime() + atMost.toNanos();
		while (System.nanoTime() < deadline) {
			if (!alive.getAsBoolean()) {
				throw new IllegalStateException(what + " exited; see its log under " + this.root.resolve("logs"));
			}
			try {
				HttpResponse<String> answer = this.http.send(
						HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
						HttpResponse.BodyHandlers.ofString());
				if (answer.statusCode() == 200) {
					return;
				}
			}
			catch (IOException notYet) {
				// not listening yet
			}
			Thread.sleep(250);
		}
		throw new IllegalStateException(what + " not up within " + atMost + "; see " + this.root.resolve("logs"));
	}

	public ChildJvm service(String name) {
		return this.services.get(name);
	}

	public ChildJvm head() {
		return this.head;
	}

	public OpenSshWorker ssh() {
		return this.ssh;
	}

	public String apiUrl() {
		return serviceUrl("api");
	}

	public String rayUrl() {
		return "http://127.0.0.1:" + this.headPort;
	}

	private String serviceUrl(String service) {
		return "http://127.0.0.1:" + this.ports.get(service);
	}

	public String token(String user) {
		return this.tokens.get(user);
	}

	public String bootstrapServers() {
		return this.broker.bootstrapServers();
	}

	public Path root() {
		return this.root;
	}

	@Override
	public void close() {
		try {
			Runtime.getRuntime().removeShutdownHook(this.onExit);
		}
		catch (IllegalStateException shuttingDown) {
			// the hook runs anyway
		}
		stopAll();
	}

	private synchronized void stopAll() {
		List<AutoCloseable> all = new ArrayList<>();
		// the API first, the head after the services, the broker last
		List<String> reversed = new ArrayList<>(this.services.keySet());
		java.util.Collections.reverse(reversed);
		reversed.forEach((name) -> all.add(this.services.get(name)));
		all.add(this.head);
		all.add(this.ssh);
		all.add(this.broker);
		for (AutoCloseable closeable : all) {
			if (closeable == null) {
				continue;
			}
			try {
				closeable.close();
			}
			catch (Exception ex) {
				System.err.println("while stopping " + closeable + ": " + ex);
			}
		}
	}

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
