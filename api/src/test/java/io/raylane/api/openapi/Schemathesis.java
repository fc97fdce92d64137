package io.raylane.api.openapi;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The pinned schemathesis CLI of {@code openapi-fuzz/install-schemathesis.sh}. Missing, a
 * test skips and says how to install it, unless {@code CI=true} and
 * {@code RAYLANE_REQUIRE_FUZZ=true} (set by {@code .ci/run} once the install succeeded):
 * then it fails, so CI cannot pass without the fuzz.
 */
final class Schemathesis {

	static final String VERSION = "4.32.5";

	private Schemathesis() {
	}

	static Path cli() {
		String venv = System.getenv()
			.getOrDefault("RAYLANE_SCHEMATHESIS_VENV",
					System.getProperty("user.home") + "/.cache/raylane/schemathesis-" + VERSION);
		Path st = Path.of(venv, "bin", "st");
		if (!Files.isExecutable(st)) {
			String why = "no schemathesis " + VERSION + " at " + st + "; run openapi-fuzz/install-schemathesis.sh";
			if ("true".equalsIgnoreCase(System.getenv("CI"))
					&& "true".equalsIgnoreCase(System.getenv("RAYLANE_REQUIRE_FUZZ"))) {
				Assertions.fail(why + " (CI=true, RAYLANE_REQUIRE_FUZZ=true)");
			}
			Assumptions.abort(why);
		}
		return st;
	}

}
