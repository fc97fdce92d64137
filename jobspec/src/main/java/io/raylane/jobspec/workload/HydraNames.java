package io.raylane.jobspec.workload;

/**
 * Names Raylane writes into Hydra values (project and experiment names): reduced to
 * {@code [A-Za-z0-9_.-]}, so Hydra reads them as plain strings (no sweep comma, no
 * interpolation, no quoting).
 */
public final class HydraNames {

	private HydraNames() {
	}

	/** Every other character becomes {@code _}; at most 128 characters; never empty. */
	public static String sanitize(String name) {
		if (name == null || name.isBlank()) {
			return "raylane";
		}
		String clean = name.strip().replaceAll("[^A-Za-z0-9_.-]", "_");
		return (clean.length() > 128) ? clean.substring(0, 128) : clean;
	}

}
