package io.raylane.submitter.placement;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the placement shim's Python unit tests ({@code src/test/python}) with the Ray
 * venv's interpreter (ray-cluster/install-ray.sh), so the tests that import the real Ray
 * 2.60 run too. Skipped with the reason where the venv is missing, failed instead when CI
 * requires the real Ray ({@code CI=true}, {@code RAYLANE_REQUIRE_REAL_RAY=true}).
 */
@Tag("slow")
class PlacementShimPythonTest {

	@Test
	void shouldPassThePythonUnitTests() throws IOException, InterruptedException {
		Path venv = (System.getenv("RAYLANE_RAY_VENV") != null) ? Path.of(System.getenv("RAYLANE_RAY_VENV"))
				: Path.of(System.getProperty("user.home"), ".cache", "raylane", "ray-2.60.0");
		Path python = venv.resolve("bin/python");
		if (!Files.isExecutable(python)) {
			String reason = "no Ray venv at " + venv + " (run ray-cluster/install-ray.sh)";
			if ("true".equalsIgnoreCase(System.getenv("CI"))
					&& "true".equalsIgnoreCase(System.getenv("RAYLANE_REQUIRE_REAL_RAY"))) {
				fail(reason + " (CI requires the real Ray: RAYLANE_REQUIRE_REAL_RAY=true)");
			}
			Assumptions.abort(reason);
		}
		Path output = Files.createTempFile("placement-shim-tests", ".log");
		try {
			Process process = new ProcessBuilder(python.toString(), "-m", "unittest", "discover", "-v", "-s",
					"src/test/python")
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			process.getOutputStream().close();
			if (!process.waitFor(5, TimeUnit.MINUTES)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				fail("the Python tests did not finish:\n" + Files.readString(output, StandardCharsets.UTF_8));
			}
			String text = Files.readString(output, StandardCharsets.UTF_8);
			System.out.println(text);
			assertThat(process.exitValue()).as(text).isZero();
			assertThat(text).as("the real-Ray tests ran, not skipped")
				.contains("test_every_entry_point_is_wrapped_once_ray_is_imported")
				.doesNotContain("skipped 'no Python with Ray")
				.containsPattern("Ran \\d+ tests")
				.contains("\nOK");
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

}
