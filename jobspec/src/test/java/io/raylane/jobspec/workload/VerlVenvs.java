package io.raylane.jobspec.workload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The venvs of {@code verl-keys/install-verl.sh}: one real verl per supported version
 * (without its dependencies) and Hydra, at {@code $RAYLANE_VERL_VENV_ROOT/verl-<version>}
 * (default {@code ~/.cache/raylane}). A test that needs one skips without it, printing
 * how to install it, unless {@code CI=true} and {@code RAYLANE_REQUIRE_VERL=true} (set by
 * {@code .ci/run} once the install succeeded): then it fails.
 */
final class VerlVenvs {

	/** The verl-keys folder: its Python scripts run with the module's folder as cwd. */
	static final Path SCRIPTS = Path.of("../verl-keys").toAbsolutePath().normalize();

	private VerlVenvs() {
	}

	static Path python(VerlVersion version) {
		String root = System.getenv("RAYLANE_VERL_VENV_ROOT");
		Path base = (root != null && !root.isBlank()) ? Path.of(root)
				: Path.of(System.getProperty("user.home"), ".cache", "raylane");
		return base.resolve("verl-" + version.label()).resolve("bin").resolve("python");
	}

	/** The venv's python, or the test is skipped (failed under CI with the install). */
	static Path require(VerlVersion version) {
		Path python = python(version);
		if (!Files.isExecutable(python)) {
			String why = "no verl " + version.label() + " venv at " + python.getParent().getParent()
					+ ": run verl-keys/install-verl.sh";
			if ("true".equalsIgnoreCase(System.getenv("CI"))
					&& "true".equalsIgnoreCase(System.getenv("RAYLANE_REQUIRE_VERL"))) {
				Assertions.fail(why + " (CI=true, RAYLANE_REQUIRE_VERL=true)");
			}
			Assumptions.abort(why);
		}
		return python;
	}

	/**
	 * Runs {@code python <script> <args>} in {@link #SCRIPTS}; its stdout, or fails with
	 * its stderr.
	 */
	static String run(VerlVersion version, String script, String... args) {
		List<String> command = new ArrayList<>(List.of(require(version).toString(), script));
		command.addAll(List.of(args));
		try {
			Process process = new ProcessBuilder(command).directory(SCRIPTS.toFile()).start();
			process.getOutputStream().close();
			CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
			String out = read(process.getInputStream());
			if (!process.waitFor(10, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new AssertionError(String.join(" ", command) + " did not end within 10 minutes");
			}
			if (process.exitValue() != 0) {
				throw new AssertionError(
						String.join(" ", command) + " exited " + process.exitValue() + ":\n" + err.join());
			}
			return out;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted", ex);
		}
	}

	private static String read(InputStream in) {
		try (in) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			in.transferTo(out);
			return out.toString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
