package io.raylane.raystandin;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EnvVarsTest {

	@Test
	void shouldExpandReferencesAgainstTheNodeEnvironmentAndBlankMissingOnes() {
		Map<String, String> node = Map.of("PYTHONPATH", "/base", "HOME", "/root");
		Map<String, Object> runtimeEnv = Map.of("env_vars",
				Map.of("PYTHONPATH", "/code/v3:${PYTHONPATH}", "X", "[${NOPE}]", "Y", "$HOME stays"));

		Map<String, String> env = EnvVars.driverEnvironment(node, runtimeEnv, Map.of("RAY_ADDRESS", "http://h:1"));

		assertThat(env).containsEntry("PYTHONPATH", "/code/v3:/base")
			.containsEntry("X", "[]")
			.containsEntry("Y", "$HOME stays")
			.containsEntry("HOME", "/root")
			.containsEntry("RAY_ADDRESS", "http://h:1");
	}

	@Test
	void shouldLetTheSupervisorVariablesWin() {
		Map<String, String> env = EnvVars.driverEnvironment(Map.of(),
				Map.of("env_vars", Map.of("PYTHONUNBUFFERED", "0")), Map.of("PYTHONUNBUFFERED", "1"));

		assertThat(env).containsEntry("PYTHONUNBUFFERED", "1");
	}

	@Test
	void shouldIgnoreAMissingRuntimeEnv() {
		assertThat(EnvVars.driverEnvironment(Map.of("A", "1"), null, Map.of())).isEqualTo(Map.of("A", "1"));
	}

}
