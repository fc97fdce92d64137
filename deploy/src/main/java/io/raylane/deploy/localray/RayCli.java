package io.raylane.deploy.localray;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds Ray's CLI on PATH and asks it its version ({@code ray --version}, which imports
 * Ray: a second or more).
 */
public final class RayCli {

	private static final long TIMEOUT_SECONDS = 60;

	private RayCli() {
	}

	/** The first executable {@code ray} in the directories of {@code path} (PATH). */
	public static Optional<Path> onPath(String path) {
		if (path == null) {
			return Optional.empty();
		}
		for (String dir : path.split(File.pathSeparator)) {
			if (dir.isEmpty()) {
				continue;
			}
			Path ray = Path.of(dir, "ray");
			if (Files.isRegularFile(ray) && Files.isExecutable(ray)) {
				return Optional.of(ray.toAbsolutePath().normalize());
			}
		}
		return Optional.empty();
	}

	/** The {@code ray} on {@code path} and its answer to {@code --version}. */
	public static RayCliProbe probe(String path) {
		Optional<Path> ray = onPath(path);
		if (ray.isEmpty()) {
			return RayCliProbe.notOnPath();
		}
		try {
			Path output = Files.createTempFile("raylane-ray-version", ".out");
			try {
				Process process = new ProcessBuilder(List.of(ray.get().toString(), "--version"))
					.redirectErrorStream(true)
					.redirectOutput(output.toFile())
					.start();
				process.getOutputStream().close();
				if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
					process.destroyForcibly();
					return RayCliProbe.failed(ray.get(), "no answer within " + TIMEOUT_SECONDS + " s");
				}
				String text = Files.readString(output, StandardCharsets.UTF_8);
				return (process.exitValue() == 0) ? RayCliProbe.answered(ray.get(), text)
						: RayCliProbe.failed(ray.get(), "exit " + process.exitValue() + ": " + tail(text));
			}
			finally {
				Files.deleteIfExists(output);
			}
		}
		catch (IOException ex) {
			return RayCliProbe.failed(ray.get(), ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return RayCliProbe.failed(ray.get(), "interrupted");
		}
	}

	/** The last line of an output, at most 200 characters. */
	static String tail(String text) {
		List<String> lines = text.strip().lines().toList();
		String last = lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
		return (last.length() > 200) ? last.substring(0, 200) + "…" : last;
	}

}
