package io.raylane.raycluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a real Ray cluster needs on this machine (Linux, root, iproute2 with working
 * network namespaces, util-linux, curl, the venv of {@code ray-cluster/install-ray.sh}
 * with Ray {@value RealRayCluster#RAY_VERSION}, the scripts) and what a test does when
 * something is missing: it is skipped with the reason printed, unless CI demands the real
 * Ray ({@code CI=true} and {@code RAYLANE_REQUIRE_REAL_RAY=true}, set by {@code .ci/run}
 * once the install succeeded), where it fails instead, so a CI run cannot pass by
 * skipping.
 */
public final class RealRayPrerequisites {

	private static final List<String> COMMANDS = List.of("bash", "ip", "unshare", "nsenter", "setsid", "curl");

	private RealRayPrerequisites() {
	}

	/** The venv install-ray.sh makes: RAYLANE_RAY_VENV or ~/.cache/raylane/ray-2.60.0. */
	public static Path venv() {
		String configured = System.getenv("RAYLANE_RAY_VENV");
		if (configured != null && !configured.isBlank()) {
			return Path.of(configured.trim());
		}
		return Path.of(System.getProperty("user.home"), ".cache", "raylane", "ray-" + RealRayCluster.RAY_VERSION);
	}

	/**
	 * The directory holding cluster.sh: system property
	 * {@code raylane.ray.cluster.scripts} (set by this module's surefire), env
	 * RAYLANE_RAY_CLUSTER_SCRIPTS, else {@code ray-cluster/} found by walking up from the
	 * working directory (for other modules' tests).
	 */
	public static Optional<Path> scripts() {
		for (String configured : new String[] { System.getProperty("raylane.ray.cluster.scripts"),
				System.getenv("RAYLANE_RAY_CLUSTER_SCRIPTS") }) {
			if (configured != null && !configured.isBlank() && Files.isRegularFile(Path.of(configured, "cluster.sh"))) {
				return Optional.of(Path.of(configured).toAbsolutePath().normalize());
			}
		}
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			if (Files.isRegularFile(dir.resolve("ray-cluster/cluster.sh"))) {
				return Optional.of(dir.resolve("ray-cluster"));
			}
		}
		return Optional.empty();
	}

	/**
	 * Everything that is missing, one reason each; empty when a cluster can be started.
	 */
	public static List<String> missing() {
		return missing(venv());
	}

	static List<String> missing(Path venv) {
		List<String> missing = new ArrayList<>();
		if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
			missing.add("not Linux (network namespaces need Linux)");
			return missing;
		}
		if (!root()) {
			missing.add("not root (ip netns and unshare need root or CAP_SYS_ADMIN + CAP_NET_ADMIN)");
		}
		for (String command : COMMANDS) {
			if (onPath(command).isEmpty()) {
				missing.add("no '" + command + "' on PATH (Debian: "
						+ (command.equals("ip") ? "iproute2" : command.equals("curl") ? "curl" : "util-linux") + ")");
			}
		}
		if (scripts().isEmpty()) {
			missing.add("ray-cluster/cluster.sh not found (set RAYLANE_RAY_CLUSTER_SCRIPTS)");
		}
		if (!Files.isExecutable(venv.resolve("bin/ray"))) {
			missing.add("no Ray venv at " + venv + " (run ray-cluster/install-ray.sh; it needs Python >= 3.9 with venv"
					+ (onPath("python3").isEmpty() ? ", and there is no python3 on PATH" : "") + ")");
		}
		else {
			String version = run(10, venv.resolve("bin/python").toString(), "-c",
					"from importlib.metadata import version; print(version('ray'))")
				.strip();
			if (!RealRayCluster.RAY_VERSION.equals(version)) {
				missing.add("the venv at " + venv + " has Ray '" + version + "', not " + RealRayCluster.RAY_VERSION
						+ " (run ray-cluster/install-ray.sh)");
			}
		}
		if (missing.isEmpty() && !netnsWorks()) {
			missing.add("'ip netns add' or 'unshare --pid' does not work here (no CAP_SYS_ADMIN/CAP_NET_ADMIN?)");
		}
		return missing;
	}

	/**
	 * Whether CI demands the real Ray: then a missing piece fails the test instead of
	 * skipping it.
	 */
	public static boolean required() {
		return "true".equalsIgnoreCase(System.getenv("CI"))
				&& "true".equalsIgnoreCase(System.getenv("RAYLANE_REQUIRE_REAL_RAY"));
	}

	/**
	 * Skips the calling test (JUnit assumption) or, when {@link #required()}, fails it;
	 * prints the reason either way.
	 */
	public static RuntimeException unavailable(String reason) {
		return unavailable(reason, required());
	}

	static RuntimeException unavailable(String reason, boolean required) {
		String text = "real Ray " + RealRayCluster.RAY_VERSION + " cluster unavailable: " + reason;
		if (required) {
			System.err.println("RealRayCluster: FAIL (CI=true, RAYLANE_REQUIRE_REAL_RAY=true): " + text);
			Assertions.fail(text + " (CI requires the real Ray: RAYLANE_REQUIRE_REAL_RAY=true)");
		}
		System.err.println("RealRayCluster: SKIP: " + text);
		Assumptions.abort(text);
		throw new IllegalStateException("unreachable");
	}

	private static boolean root() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("Uid:")) {
					return "0".equals(line.substring(4).trim().split("\\s+")[1]);
				}
			}
		}
		catch (IOException ex) {
			return false;
		}
		return false;
	}

	static Optional<Path> onPath(String command) {
		String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
		for (String dir : path.split(File.pathSeparator)) {
			Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
			if (Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

	private static boolean netnsWorks() {
		String probe = "rlprobe" + (ProcessHandle.current().pid() % 100000);
		try {
			run(10, "ip", "netns", "add", probe);
			return netnsExists(probe)
					&& run(10, "ip", "netns", "exec", probe, "unshare", "--pid", "--fork", "--mount-proc", "echo", "ok")
						.strip()
						.equals("ok");
		}
		finally {
			run(10, "ip", "netns", "del", probe);
		}
	}

	private static boolean netnsExists(String name) {
		return Files.exists(Path.of("/run/netns", name));
	}

	/** Output (stdout and stderr) of a short command; "" when it cannot run. */
	static String run(int timeoutSeconds, String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			process.getOutputStream().close();
			byte[] out = process.getInputStream().readAllBytes();
			if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
			return new String(out, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "";
		}
	}

}
