package io.raylane.nodeagent.realray;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Interim fixture for the node-agent's real-host test: a real Ray 2.60 head and one
 * worker started by {@code ray-cluster/cluster.sh} (the worker in its own network, PID,
 * mount and UTS namespace with sshd, so it is a host of its own), stopped on
 * {@link #close()} or at JVM exit. It exists until the shared fixture
 * {@code io.raylane.raycluster.RealRayCluster} (branch i11-contract, module ray-cluster)
 * is on main; the test should then use that one.
 * <p>
 * Slots 169.254.250-254.0/24 (namespace prefix {@code rn<octet>}, directory
 * {@code /tmp/rlc-n<octet>}), claimed with a file lock under
 * {@code /tmp/raylane-ray-locks}: outside the shared fixture's range (100-249) and
 * cluster.sh's default (211). Skips with the reason printed when the machine cannot run
 * it; fails instead when CI demands the real Ray ({@code CI=true} and
 * {@code RAYLANE_REQUIRE_REAL_RAY=true}), as the shared fixture does.
 */
public final class ClusterShWorkers implements AutoCloseable {

	private static final Path LOCKS = Path.of("/tmp/raylane-ray-locks");

	private final Path scripts;

	private final int octet;

	private final FileChannel lockChannel;

	private final Properties env = new Properties();

	private final Thread shutdownHook = new Thread(this::stopQuietly, "cluster-sh-workers-stop");

	private boolean closed;

	private ClusterShWorkers(Path scripts, int octet, FileChannel lockChannel) {
		this.scripts = scripts;
		this.octet = octet;
		this.lockChannel = lockChannel;
	}

	/** A head and one worker, up; skips (or fails on CI) when this machine cannot. */
	public static ClusterShWorkers start() {
		List<String> missing = missing();
		if (!missing.isEmpty()) {
			String reason = "real Ray cluster unavailable: " + String.join("; ", missing);
			System.err.println("ClusterShWorkers: " + reason);
			if ("true".equalsIgnoreCase(System.getenv("CI"))
					&& "true".equalsIgnoreCase(System.getenv("RAYLANE_REQUIRE_REAL_RAY"))) {
				Assertions.fail(reason + " (CI requires the real Ray: RAYLANE_REQUIRE_REAL_RAY=true)");
			}
			Assumptions.abort(reason);
		}
		Path scripts = scripts().orElseThrow();
		for (int octet = 250; octet <= 254; octet++) {
			FileChannel channel = lock(octet);
			if (channel == null) {
				continue;
			}
			ClusterShWorkers cluster = new ClusterShWorkers(scripts, octet, channel);
			Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
			try {
				cluster.boot();
			}
			catch (RuntimeException | AssertionError ex) {
				cluster.close();
				throw ex;
			}
			return cluster;
		}
		throw new IllegalStateException("no free slot 169.254.250-254.0/24 for a test cluster");
	}

	private static FileChannel lock(int octet) {
		try {
			Files.createDirectories(LOCKS);
			FileChannel channel = FileChannel.open(LOCKS.resolve("169.254." + octet + ".lock"),
					StandardOpenOption.CREATE, StandardOpenOption.WRITE);
			FileLock lock;
			try {
				lock = channel.tryLock();
			}
			catch (OverlappingFileLockException ex) {
				lock = null;
			}
			if (lock == null) {
				channel.close();
				return null;
			}
			return channel;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void boot() {
		if (Files.exists(dir().resolve("prefix"))) {
			// what a test JVM that died holding this slot left behind
			script(Duration.ofMinutes(2), "stop");
		}
		Result started = script(Duration.ofMinutes(6), "start");
		if (started.exitCode() != 0) {
			Assertions.fail("cluster.sh start failed (exit " + started.exitCode() + "):\n" + tail(started.output()));
		}
		try (Reader reader = Files.newBufferedReader(dir().resolve("cluster.env"))) {
			this.env.load(reader);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		if (!"on".equals(this.env.getProperty("CLUSTER_SSH"))) {
			Assertions.fail("cluster.sh started the workers without sshd");
		}
	}

	public Path dir() {
		return Path.of("/tmp/rlc-n" + this.octet);
	}

	/** A value of cluster.env, e.g. {@code CLUSTER_WORKER_1_IP}. */
	public String env(String key) {
		String value = this.env.getProperty(key);
		if (value == null) {
			throw new IllegalStateException(key + " is not in cluster.env");
		}
		return value;
	}

	public String dashboardUrl() {
		return env("CLUSTER_DASHBOARD_URL");
	}

	public String gcsAddress() {
		return env("CLUSTER_GCS_ADDRESS");
	}

	public Path venv() {
		return Path.of(env("CLUSTER_VENV"));
	}

	/**
	 * SIGKILLs the raylet of {@code node} (w1, ...): Ray reports the node DEAD ≈ 14 s
	 * later.
	 */
	public void killRaylet(String node) {
		Result killed = script(Duration.ofSeconds(60), "kill-raylet", node);
		if (killed.exitCode() != 0) {
			Assertions.fail("cluster.sh kill-raylet " + node + " failed:\n" + tail(killed.output()));
		}
	}

	/** Runs a command inside {@code node}'s namespaces. */
	public Result exec(String node, String... command) {
		List<String> args = new ArrayList<>(List.of("exec", node));
		args.addAll(List.of(command));
		return script(Duration.ofSeconds(90), args.toArray(String[]::new));
	}

	/**
	 * Runs Python of the cluster's venv on this host (it reaches the head over the
	 * bridge), e.g. to ask the GCS what the dashboard does not show.
	 */
	public Result python(String program) {
		return run(Duration.ofSeconds(90), Map.of(), venv().resolve("bin/python").toString(), "-c", program);
	}

	private Result script(Duration timeout, String... args) {
		List<String> command = new ArrayList<>(List.of("bash", this.scripts.resolve("cluster.sh").toString()));
		command.addAll(List.of(args));
		return run(timeout,
				Map.of("RAYLANE_RAY_NAME", "rn" + this.octet, "RAYLANE_RAY_SUBNET", "169.254." + this.octet,
						"RAYLANE_RAY_CLUSTER_DIR", dir().toString(), "RAYLANE_RAY_WORKERS", "1", "RAYLANE_RAY_NETWORK",
						"netns", "RAYLANE_RAY_SSHD", "on"),
				command.toArray(String[]::new));
	}

	private static Result run(Duration timeout, Map<String, String> env, String... command) {
		try {
			Path out = Files.createTempFile("cluster-sh", ".out");
			try {
				ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(out.toFile());
				builder.environment().putAll(env);
				Process process = builder.start();
				if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
					process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
					return new Result(-1,
							Files.readString(out, StandardCharsets.UTF_8) + "\n(timed out after " + timeout + ")");
				}
				return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
			}
			finally {
				Files.deleteIfExists(out);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Stops every node and removes the namespaces; idempotent. */
	@Override
	public synchronized void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// the JVM is exiting: the hook runs this anyway
		}
		stopQuietly();
	}

	private void stopQuietly() {
		try {
			Result stopped = script(Duration.ofMinutes(2), "stop");
			if (stopped.exitCode() != 0) {
				System.err.println("ClusterShWorkers: cluster.sh stop exited " + stopped.exitCode() + "\n"
						+ tail(stopped.output()));
			}
		}
		finally {
			try {
				this.lockChannel.close();
			}
			catch (IOException ex) {
				// the lock goes with the JVM anyway
			}
		}
	}

	/** Exit code and combined output of a command. */
	public record Result(int exitCode, String output) {
	}

	static String tail(String text) {
		String[] lines = text.split("\n");
		return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 30), lines.length));
	}

	/** Every reason this machine cannot run the cluster; empty when it can. */
	static List<String> missing() {
		List<String> missing = new ArrayList<>();
		if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
			missing.add("not Linux");
			return missing;
		}
		if (!"0".equals(run(Duration.ofSeconds(10), Map.of(), "id", "-u").output().strip())) {
			missing.add("not root (network namespaces need root)");
		}
		if (scripts().isEmpty()) {
			missing.add("ray-cluster/cluster.sh not found above " + Path.of("").toAbsolutePath());
		}
		String venv = System.getenv("RAYLANE_RAY_VENV");
		Path venvDir = (venv != null && !venv.isBlank()) ? Path.of(venv)
				: Path.of(System.getProperty("user.home"), ".cache/raylane/ray-2.60.0");
		if (!Files.isExecutable(venvDir.resolve("bin/ray"))) {
			missing.add("no Ray venv at " + venvDir + " (run ray-cluster/install-ray.sh)");
		}
		if (!Files.isExecutable(Path.of("/usr/sbin/sshd"))) {
			missing.add("no /usr/sbin/sshd (Debian: apt-get install openssh-server)");
		}
		if (missing.isEmpty()) {
			Result probe = run(Duration.ofSeconds(20), Map.of(), "bash", "-c",
					"ip netns add rnprobe$$ && ip netns exec rnprobe$$ unshare --pid --fork --mount-proc true;"
							+ " rc=$?; ip netns del rnprobe$$ 2>/dev/null; exit $rc");
			if (probe.exitCode() != 0) {
				missing.add("'ip netns' or 'unshare --pid' does not work here: " + probe.output().strip());
			}
		}
		return missing;
	}

	static Optional<Path> scripts() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.isRegularFile(dir.resolve("ray-cluster/cluster.sh"))) {
				return Optional.of(dir.resolve("ray-cluster"));
			}
		}
		return Optional.empty();
	}

}
