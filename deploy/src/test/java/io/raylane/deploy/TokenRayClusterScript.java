package io.raylane.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * STOPGAP until the shared {@code RealRayCluster} fixture (module ray-cluster, issue 11)
 * is on main: starts a real Ray 2.60 cluster with token authentication
 * ({@code RAYLANE_RAY_AUTH=token}) through {@code ray-cluster/cluster.sh} with a name,
 * subnet and directory of its own, reads its {@code cluster.env}, and stops it
 * ({@code cluster.sh stop} leaves no process, namespace or link). Needs the venv of
 * {@code ray-cluster/install-ray.sh}; {@link #unavailable()} says why not when it is
 * missing.
 */
final class TokenRayClusterScript implements AutoCloseable {

	static final Path SCRIPT = Path.of("../ray-cluster/cluster.sh").toAbsolutePath().normalize();

	private final Map<String, String> env;

	private final Properties cluster = new Properties();

	private final Path dir;

	private final Thread stopOnExit = new Thread(this::stop, "ray-cluster-stop");

	private TokenRayClusterScript(Path dir, Map<String, String> env) {
		this.dir = dir;
		this.env = env;
	}

	static Path venv() {
		String configured = System.getenv("RAYLANE_RAY_VENV");
		return (configured != null && !configured.isBlank()) ? Path.of(configured)
				: Path.of(System.getProperty("user.home"), ".cache/raylane/ray-2.60.0");
	}

	/** Why no cluster can start here, or null when it can. */
	static String unavailable() {
		if (!Files.isExecutable(SCRIPT)) {
			return SCRIPT + " is missing";
		}
		if (!Files.isExecutable(venv().resolve("bin/ray"))) {
			return "no Ray in " + venv() + " (run ray-cluster/install-ray.sh)";
		}
		return null;
	}

	/** A head and {@code workers} workers with token authentication, all ALIVE. */
	static TokenRayClusterScript start(int workers) throws IOException, InterruptedException {
		// short: Ray's unix socket paths live below it
		Path dir = Path.of("/tmp/rla-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36));
		Map<String, String> env = new HashMap<>();
		env.put("RAYLANE_RAY_VENV", venv().toString());
		env.put("RAYLANE_RAY_CLUSTER_DIR", dir.toString());
		env.put("RAYLANE_RAY_NAME", "rlau");
		env.put("RAYLANE_RAY_SUBNET", "169.254.217");
		env.put("RAYLANE_RAY_WORKERS", Integer.toString(workers));
		env.put("RAYLANE_RAY_AUTH", "token");
		// sshd in each worker (when installed): the node-agent provisions over SSH
		env.put("RAYLANE_RAY_SSHD", "auto");
		TokenRayClusterScript cluster = new TokenRayClusterScript(dir, env);
		Runtime.getRuntime().addShutdownHook(cluster.stopOnExit);
		int exit = cluster.run("start", 300);
		if (exit != 0) {
			String log = Files.exists(dir.resolve("start.log")) ? Files.readString(dir.resolve("start.log")) : "";
			cluster.close();
			throw new IllegalStateException("cluster.sh start exited " + exit + ":\n" + log);
		}
		try (Reader in = Files.newBufferedReader(dir.resolve("cluster.env"), StandardCharsets.UTF_8)) {
			cluster.cluster.load(in);
		}
		return cluster;
	}

	String get(String key) {
		return this.cluster.getProperty(key);
	}

	String dashboardUrl() {
		return get("CLUSTER_DASHBOARD_URL");
	}

	String token() throws IOException {
		return Files.readString(Path.of(get("CLUSTER_AUTH_TOKEN_FILE"))).strip();
	}

	private int run(String command, int timeoutSeconds) throws IOException, InterruptedException {
		Files.createDirectories(this.dir);
		ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString(), command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.dir.resolve(command + ".log").toFile()));
		builder.environment().putAll(this.env);
		Process process = builder.start();
		if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			return -1;
		}
		return process.exitValue();
	}

	private void stop() {
		try {
			run("stop", 120);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cluster.sh stop failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() throws IOException {
		stop();
		try {
			Runtime.getRuntime().removeShutdownHook(this.stopOnExit);
		}
		catch (IllegalStateException ex) {
			// the JVM is already shutting down: the hook runs (or ran) the stop
		}
		try (Stream<Path> files = Files.walk(this.dir)) {
			files.sorted(Comparator.reverseOrder()).forEach((f) -> f.toFile().delete());
		}
	}

}
