package io.raylane.scheduler.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decision logic stays plain Java (docs/architecture.md, modules and packages): no Kafka or Spring type may reach
 * the core package.
 */
class CoreLayeringTest {

	@Test
	void shouldKeepKafkaAndSpringOutOfTheCore() throws IOException {
		Path core = Path.of("src/main/java/io/raylane/scheduler/core");
		List<String> offending;
		try (Stream<Path> files = Files.list(core)) {
			offending = files.filter((f) -> f.toString().endsWith(".java")).flatMap((f) -> {
				try {
					return Files.readAllLines(f)
						.stream()
						.filter((line) -> line.startsWith("import"))
						.filter((line) -> line.contains("org.apache.kafka") || line.contains("org.springframework"))
						.map((line) -> f.getFileName() + ": " + line);
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			}).toList();
		}
		assertThat(core).isDirectory();
		assertThat(offending).isEmpty();
	}

}
