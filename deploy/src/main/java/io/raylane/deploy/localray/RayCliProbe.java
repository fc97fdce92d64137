package io.raylane.deploy.localray;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What was found of Ray's CLI: the {@code ray} on PATH (null: none) and what
 * {@code ray --version} printed, or why it gave no answer.
 *
 * @param path the executable, null when PATH holds none
 * @param output the output of {@code ray --version} (exit 0), else null
 * @param failure why it gave no answer (exit code and output tail, timeout), else null
 */
public record RayCliProbe(Path path, String output, String failure) {

	/** {@code ray, version 2.60.0} (Ray's click CLI). */
	private static final Pattern VERSION = Pattern.compile("ray, version (\\S+)");

	public static RayCliProbe notOnPath() {
		return new RayCliProbe(null, null, null);
	}

	public static RayCliProbe answered(Path path, String output) {
		return new RayCliProbe(path, output, null);
	}

	public static RayCliProbe failed(Path path, String failure) {
		return new RayCliProbe(path, null, failure);
	}

	/** The version {@code ray --version} named, if it answered with one. */
	public Optional<String> version() {
		if (this.output == null) {
			return Optional.empty();
		}
		Matcher matcher = VERSION.matcher(this.output);
		return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
	}

}
