package io.raylane.raycluster;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What happens where no real cluster can run: the missing piece is named, and the test is
 * skipped, or failed when CI requires the real Ray.
 */
class RealRayPrerequisitesTest {

	@Test
	void shouldNameAMissingVenvAndTheInstallScript(@TempDir Path empty) {
		assertThat(RealRayPrerequisites.missing(empty.resolve("no-venv")))
			.anySatisfy((reason) -> assertThat(reason).contains("no Ray venv at " + empty.resolve("no-venv"))
				.contains("ray-cluster/install-ray.sh"));
	}

	@Test
	void shouldSkipWithTheReasonUnlessCiRequiresTheRealRay() {
		assertThatThrownBy(() -> RealRayPrerequisites.unavailable("no ip on PATH", false))
			.isInstanceOf(TestAbortedException.class)
			.hasMessageContaining("no ip on PATH");
		assertThatThrownBy(() -> RealRayPrerequisites.unavailable("no ip on PATH", true))
			.isInstanceOf(AssertionFailedError.class)
			.hasMessageContaining("no ip on PATH")
			.hasMessageContaining("RAYLANE_REQUIRE_REAL_RAY=true");
	}

	@Test
	void shouldFindTheScriptsOfThisModule() {
		assertThat(RealRayPrerequisites.scripts())
			.hasValueSatisfying((dir) -> assertThat(dir.resolve("cluster.sh")).exists().hasFileName("cluster.sh"));
	}

}
