package io.raylane.deploy.metrics;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A missing Alertmanager program skips the test with its reason, and fails it only when
 * CI says the program must be there.
 */
class AlertmanagerBinariesTest {

	static final String WHY = "amtool not on the PATH";

	@Test
	void shouldReturnTheProgramFound() {
		Path amtool = Path.of("/usr/bin/amtool");

		assertThat(AlertmanagerBinaries.require(Optional.of(amtool), WHY,
				Map.of("CI", "true", "RAYLANE_REQUIRE_ALERTMANAGER", "true")))
			.isEqualTo(amtool);
	}

	@Test
	void shouldSkipWithTheReasonOutsideCiOrWhenNotRequired() {
		for (Map<String, String> env : java.util.List.of(Map.<String, String>of(), Map.of("CI", "true"),
				Map.of("RAYLANE_REQUIRE_ALERTMANAGER", "true"),
				Map.of("CI", "false", "RAYLANE_REQUIRE_ALERTMANAGER", "true"))) {
			assertThatThrownBy(() -> AlertmanagerBinaries.require(Optional.empty(), WHY, env)).as(env.toString())
				.isInstanceOf(TestAbortedException.class)
				.hasMessageContaining(WHY);
		}
	}

	@Test
	void shouldFailUnderCiWhenRequired() {
		assertThatThrownBy(() -> AlertmanagerBinaries.require(Optional.empty(), WHY,
				Map.of("CI", "true", "RAYLANE_REQUIRE_ALERTMANAGER", "true")))
			.isInstanceOf(AssertionFailedError.class)
			.hasMessageContaining(WHY)
			.hasMessageContaining("RAYLANE_REQUIRE_ALERTMANAGER=true");
	}

}
