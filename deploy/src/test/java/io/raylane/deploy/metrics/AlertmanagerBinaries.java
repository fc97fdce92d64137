package io.raylane.deploy.metrics;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds Debian's {@code prometheus-alertmanager} package's programs ({@code amtool} and
 * the server, installed as {@code prometheus-alertmanager}; upstream's name
 * {@code alertmanager} is accepted too) and Prometheus' server on the PATH. Without them
 * a test skips with the reason, unless {@code CI=true} and
 * {@code RAYLANE_REQUIRE_ALERTMANAGER=true} (set by .ci/run once the package is
 * installed) say they must be there: then it fails.
 */
public final class AlertmanagerBinaries {

	static final String INSTALL = "install Debian's prometheus-alertmanager (apt-get install prometheus-alertmanager)";

	private AlertmanagerBinaries() {
	}

	/** amtool, or the test skips (fails under CI=true + RAYLANE_REQUIRE_ALERTMANAGER). */
	public static Path amtool() {
		return require(onPath("amtool"), "amtool not on the PATH; " + INSTALL);
	}

	/**
	 * The Alertmanager server, or the test skips (fails under CI=true +
	 * RAYLANE_REQUIRE_ALERTMANAGER).
	 */
	public static Path alertmanager() {
		return require(onPath("prometheus-alertmanager").or(() -> onPath("alertmanager")),
				"neither prometheus-alertmanager nor alertmanager on the PATH; " + INSTALL);
	}

	/**
	 * Prometheus' server, or the test skips (fails under CI=true +
	 * RAYLANE_REQUIRE_ALERTMANAGER).
	 */
	public static Path prometheus() {
		return require(onPath("prometheus"),
				"prometheus not on the PATH; install Debian's prometheus (apt-get install prometheus)");
	}

	private static Path require(Optional<Path> found, String why) {
		return require(found, why, System.getenv());
	}

	/**
	 * The program found, else a skip with {@code why}, or a failure when {@code env} has
	 * CI=true and RAYLANE_REQUIRE_ALERTMANAGER=true.
	 */
	static Path require(Optional<Path> found, String why, Map<String, String> env) {
		if (found.isPresent()) {
			return found.get();
		}
		if ("true".equalsIgnoreCase(env.get("CI"))
				&& "true".equalsIgnoreCase(env.get("RAYLANE_REQUIRE_ALERTMANAGER"))) {
			Assertions.fail(why + " (CI=true, RAYLANE_REQUIRE_ALERTMANAGER=true)");
		}
		Assumptions.abort(why);
		return null;
	}

	static Optional<Path> onPath(String name) {
		String path = System.getenv("PATH");
		if (path == null) {
			return Optional.empty();
		}
		for (String dir : path.split(File.pathSeparator)) {
			Path candidate = Path.of(dir, name);
			if (Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

}
