package io.raylane.cli;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RaylaneCliTest {

	@Test
	void shouldTakeHomeFromTheShellsHome() {
		// the JVM's user.home comes from the password database: a changed HOME must win
		assertThat(RaylaneCli.home(Map.of("HOME", "/tmp/someone"))).isEqualTo(Path.of("/tmp/someone"));
		assertThat(RaylaneCli.home(Map.of())).isEqualTo(Path.of(System.getProperty("user.home")));
	}

}
