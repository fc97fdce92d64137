package io.raylane.deploy.localray;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Which Ray the all-in-one uses, from {@code RAYLANE_LOCAL_RAY}, whether
 * {@code RAYLANE_RAY_ADDRESS} names a Ray, and the {@code ray} CLI on PATH (issue 11 item
 * 9). Pure: the CLI is probed (a process) only when the answer depends on it.
 *
 * @param kind what to run
 * @param reason why, for the start-up log, or the error's message
 * @param rayCli the CLI to start a real local Ray with ({@link Kind#REAL} only)
 */
public record LocalRayChoice(Kind kind, String reason, Path rayCli) {

	/**
	 * The Ray versions whose facts Raylane was checked against
	 * (docs/reference/ray-http.md).
	 */
	public static final String SUPPORTED = "2.60.x";

	private static final Pattern SUPPORTED_VERSION = Pattern.compile("2\\.60\\.\\d+");

	private static final String INSTALL = "install Ray " + SUPPORTED
			+ " (ray-cluster/install-ray.sh makes a venv) and put its bin/ first on PATH";

	public enum Kind {

		/** RAYLANE_RAY_ADDRESS names the Ray: start none. */
		USE_ADDRESS,

		/** The Java stand-in. */
		STANDIN,

		/** A real local Ray head and workers, started with {@link #rayCli()}. */
		REAL,

		/** The settings contradict each other or ask for what is not there. */
		ERROR

	}

	public static LocalRayChoice decide(LocalRayMode mode, boolean rayAddressGiven, Supplier<RayCliProbe> probe) {
		if (rayAddressGiven) {
			return (mode == LocalRayMode.REAL)
					? error("RAYLANE_LOCAL_RAY=real starts a local Ray, but "
							+ "RAYLANE_RAY_ADDRESS names a Ray to use: unset one of them")
					: new LocalRayChoice(Kind.USE_ADDRESS, "RAYLANE_RAY_ADDRESS names the Ray", null);
		}
		if (mode == LocalRayMode.STANDIN) {
			return standin("RAYLANE_LOCAL_RAY=standin");
		}
		RayCliProbe found = probe.get();
		String problem = problem(found);
		if (problem == null) {
			return new LocalRayChoice(Kind.REAL, "ray " + found.version().orElseThrow() + " at " + found.path()
					+ " (RAYLANE_LOCAL_RAY=" + mode.name().toLowerCase(Locale.ROOT) + ")", found.path());
		}
		return (mode == LocalRayMode.REAL) ? error("RAYLANE_LOCAL_RAY=real, but " + problem + "; " + INSTALL)
				: standin(problem + " (RAYLANE_LOCAL_RAY=auto)");
	}

	/** Why the probed CLI cannot run a local Ray, or null when it can. */
	private static String problem(RayCliProbe found) {
		if (found.path() == null) {
			return "there is no 'ray' on PATH";
		}
		if (found.failure() != null) {
			return "'" + found.path() + " --version' gave no answer: " + found.failure();
		}
		String version = found.version().orElse(null);
		if (version == null) {
			return "'" + found.path() + " --version' named no version";
		}
		if (!SUPPORTED_VERSION.matcher(version).matches()) {
			return "'ray' on PATH (" + found.path() + ") is " + version + ", Raylane supports " + SUPPORTED;
		}
		return null;
	}

	private static LocalRayChoice standin(String reason) {
		return new LocalRayChoice(Kind.STANDIN, reason, null);
	}

	private static LocalRayChoice error(String message) {
		return new LocalRayChoice(Kind.ERROR, message, null);
	}

}
