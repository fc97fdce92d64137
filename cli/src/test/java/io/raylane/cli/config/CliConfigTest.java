package io.raylane.cli.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import io.raylane.cli.CliException;
import io.raylane.cli.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CliConfigTest {

	@TempDir
	Path home;

	@Test
	void shouldKeepTheTokenInAFileOnlyItsOwnerReads() throws Exception {
		CliConfig config = CliConfig.of(Map.of(), this.home);

		config.save(new Endpoint("http://127.0.0.1:8080/", "alice-token-0123456789abcdef"));

		Path file = this.home.resolve(".config/raylane/config.yaml");
		assertThat(config.file()).isEqualTo(file);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
			.isEqualTo("rwx------");
		assertThat(config.endpoint()).isEqualTo(new Endpoint("http://127.0.0.1:8080", "alice-token-0123456789abcdef"));
		assertThat(file).content().contains("url:").contains("token:");
	}

	@Test
	void shouldMakeAnExistingLooserFileOwnerOnlyWhenLoggingInAgain() throws Exception {
		Path file = this.home.resolve("raylane.yaml");
		Files.writeString(file, "url: http://old\n");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
		CliConfig config = CliConfig.of(Map.of(CliConfig.CONFIG_VAR, file.toString()), this.home);

		config.save(new Endpoint("http://127.0.0.1:9", "t"));

		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		assertThat(config.endpoint().url()).isEqualTo("http://127.0.0.1:9");
		// the folder existed: left as it was
		assertThat(Files.list(this.home)).containsExactly(file);
	}

	@Test
	void shouldLetEachVariableOverrideTheFileOnItsOwn() throws Exception {
		Path file = this.home.resolve("c.yaml");
		CliConfig.of(Map.of(CliConfig.CONFIG_VAR, file.toString()), this.home)
			.save(new Endpoint("http://from-file:8080", "file-token"));

		assertThat(CliConfig
			.of(Map.of(CliConfig.CONFIG_VAR, file.toString(), CliConfig.URL_VAR, "http://env:1"), this.home)
			.endpoint()).isEqualTo(new Endpoint("http://env:1", "file-token"));
		assertThat(
				CliConfig.of(Map.of(CliConfig.CONFIG_VAR, file.toString(), CliConfig.TOKEN_VAR, "env-token"), this.home)
					.endpoint())
			.isEqualTo(new Endpoint("http://from-file:8080", "env-token"));
	}

	@Test
	void shouldWorkFromTheEnvironmentAloneWithoutAFile() {
		CliConfig config = CliConfig.of(Map.of(CliConfig.URL_VAR, "http://127.0.0.1:8080", CliConfig.TOKEN_VAR, "t"),
				this.home);

		assertThat(config.endpoint()).isEqualTo(new Endpoint("http://127.0.0.1:8080", "t"));
		assertThat(config.stored()).isEmpty();
	}

	@Test
	void shouldSayHowToLogInWhenNothingIsConfigured() {
		CliConfig config = CliConfig.of(Map.of(CliConfig.URL_VAR, "http://127.0.0.1:8080"), this.home);

		assertThatThrownBy(config::endpoint).isInstanceOfSatisfying(CliException.class, (ex) -> {
			assertThat(ex.exitCode()).isEqualTo(ExitCodes.NOT_LOGGED_IN);
			assertThat(ex.getMessage()).contains("no token").contains("raylane login --url");
		});
	}

}
