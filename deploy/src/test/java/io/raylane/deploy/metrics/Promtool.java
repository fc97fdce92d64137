package io.raylane.deploy.metrics;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs Prometheus' {@code promtool} from the PATH (Debian package {@code prometheus}) and
 * asserts it succeeds.
 */
public final class Promtool {

	private Promtool() {
	}

	/** The promtool on the PATH, if any. */
	public static Optional<Path> find() {
		String path = System.getenv("PATH");
		if (path == null) {
			return Optional.empty();
		}
		for (String dir : path.split(File.pathSeparator)) {
			Path candidate = Path.of(dir, "promtool");
			if (Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

	/**
	 * Runs {@code promtool <args>} in {@code dir}; asserts exit code 0, with the output
	 * as the failure message.
	 */
	public static String run(Path promtool, Path dir, String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(promtool.toString());
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		boolean ended = process.waitFor(60, TimeUnit.SECONDS);
		if (!ended) {
			process.destroyForcibly();
		}
		assertThat(ended).as("promtool %s did not end:%n%s", args, output).isTrue();
		assertThat(process.exitValue()).as("promtool %s failed:%n%s", String.join(" ", args), output).isZero();
		return output;
	}

}
