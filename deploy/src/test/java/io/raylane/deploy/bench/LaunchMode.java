package io.raylane.deploy.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How {@link FootprintBenchmark} starts a jar ({@code bench.launch}): as the README and
 * docs/deploy.md do ({@code java -jar} the fat jar), from the jar extracted by the JDK's
 * {@code java -Djarmode=tools -jar X.jar extract} (classes read from plain jars instead
 * of jars nested in the fat jar), or extracted and with a dynamic AppCDS archive (JDK 17:
 * written at exit by a training start, then mapped at each start).
 */
enum LaunchMode {

	JAR("fat jar"), EXTRACTED("extracted"), CDS("extracted + CDS");

	/** Which start of a CDS launch a command line is for. */
	enum Stage {

		/** The one start that writes the archive at its exit. */
		TRAIN,

		/** The measured starts, which map it. */
		MEASURE

	}

	private final String label;

	LaunchMode(String label) {
		this.label = label;
	}

	String label() {
		return this.label;
	}

	boolean extracts() {
		return this != JAR;
	}

	static LaunchMode parse(String name) {
		try {
			return valueOf(name.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("bench.launch must be jar, extracted or cds, not '" + name + "'", ex);
		}
	}

	/**
	 * The JVM options this launch adds after the caller's own (the archive options last,
	 * so that the training start and the measured ones have the same options before them:
	 * an archive records some of the JVM's settings).
	 */
	List<String> options(Stage stage, Path archive) {
		if (this != CDS) {
			return List.of();
		}
		return List
			.of((stage == Stage.TRAIN) ? "-XX:ArchiveClassesAtExit=" + archive : "-XX:SharedArchiveFile=" + archive);
	}

	/** {@code java <options> -jar <jar>}. */
	static List<String> startCommand(String java, List<String> options, Path jar) {
		List<String> command = new ArrayList<>();
		command.add(java);
		command.addAll(options);
		command.add("-jar");
		command.add(jar.toString());
		return command;
	}

	/**
	 * Spring Boot's jar tools extract the application as {@code <destination>/<jar's
	 * name>} with its libraries in {@code <destination>/lib}, named in its manifest's
	 * class path.
	 */
	static List<String> extractCommand(String java, Path jar, Path destination) {
		return List.of(java, "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination",
				destination.toString());
	}

	static Path extractedJar(Path jar, Path destination) {
		return destination.resolve(jar.getFileName());
	}

}
