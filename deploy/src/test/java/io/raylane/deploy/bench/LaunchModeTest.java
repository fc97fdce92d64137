package io.raylane.deploy.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The benchmark's launch modes: the JVM options each adds, and the command lines. */
class LaunchModeTest {

	private static final Path ARCHIVE = Path.of("/tmp/f/app.jsa");

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			# bench.launch | stage   | options added
			jar            | TRAIN   |
			jar            | MEASURE |
			extracted      | MEASURE |
			' CDS '        | TRAIN   | -XX:ArchiveClassesAtExit=/tmp/f/app.jsa
			cds            | MEASURE | -XX:SharedArchiveFile=/tmp/f/app.jsa
			""")
	void onlyCdsAddsOptionsTheTrainingStartWritesTheArchiveTheOthersMapIt(String name, LaunchMode.Stage stage,
			String expected) {
		assertThat(LaunchMode.parse(name).options(stage, ARCHIVE)).isEqualTo(words(expected));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			# bench.launch | extracts
			jar            | false
			extracted      | true
			cds            | true
			""")
	void everyLaunchButTheFatJarExtracts(String name, boolean extracts) {
		assertThat(LaunchMode.parse(name).extracts()).isEqualTo(extracts);
	}

	@Test
	void anUnknownLaunchIsRefusedWithTheChoices() {
		assertThatIllegalArgumentException().isThrownBy(() -> LaunchMode.parse("aot"))
			.withMessageContaining("jar, extracted or cds");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					# options                                          | command line
					                                                   | java -jar /x/raylane.jar
					-Xmx1g -XX:SharedArchiveFile=/tmp/f/app.jsa        | java -Xmx1g -XX:SharedArchiveFile=/tmp/f/app.jsa -jar /x/raylane.jar
					""")
	void theStartIsJavaTheOptionsAndTheJar(String options, String expected) {
		assertThat(LaunchMode.startCommand("java", words(options), Path.of("/x/raylane.jar")))
			.isEqualTo(words(expected));
	}

	@Test
	void theJdkExtractsWithSpringBootsJarToolsNextToItsLibraries() {
		Path jar = Path.of("/repo/api/target/raylane-api.jar");
		Path destination = Path.of("/tmp/f/extracted");
		assertThat(LaunchMode.extractCommand("java", jar, destination)).containsExactly("java", "-Djarmode=tools",
				"-jar", "/repo/api/target/raylane-api.jar", "extract", "--destination", "/tmp/f/extracted");
		assertThat(LaunchMode.extractedJar(jar, destination)).isEqualTo(Path.of("/tmp/f/extracted/raylane-api.jar"));
	}

	private static List<String> words(String text) {
		return (text == null) ? List.of() : Arrays.asList(text.trim().split("\\s+"));
	}

}
