package io.raylane.jobspec.workload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed key lists (resources {@code verl/<version>/}) are exactly what
 * {@code verl-keys/generate.py} writes today from the installed verl package, so they
 * cannot drift from verl's config. Regenerate with {@code verl-keys/generate.sh}.
 */
@Tag("slow")
class VerlKeyListsDriftTest {

	static final Path COMMITTED = Path.of("src/main/resources/io/raylane/jobspec/workload/verl");

	static final List<String> FILES = List.of("ppo-keys.txt", "sft-keys.txt", "legacy-keys.txt", "facts.properties");

	@TempDir
	Path fresh;

	@ParameterizedTest
	@EnumSource(VerlVersion.class)
	void shouldEqualTheListsGeneratedFromTheRealPackage(VerlVersion version) throws IOException {
		VerlVenvs.run(version, "generate.py", this.fresh.toString());

		for (String file : FILES) {
			assertThat(Files.readString(this.fresh.resolve(version.label()).resolve(file)))
				.as("%s of verl %s differs from a fresh generation: run verl-keys/generate.sh and commit", file,
						version.label())
				.isEqualTo(Files.readString(COMMITTED.resolve(version.label()).resolve(file)));
		}
	}

}
