package io.raylane.jobspec.workload;

import java.util.regex.Pattern;

/**
 * Static check of a custom reward file: does the Python source define the named function
 * at top level?
 */
public final class RewardSource {

	/** The name verl calls when {@code custom_reward_function.name} is not set. */
	public static final String DEFAULT_FUNCTION = "compute_score";

	static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	private RewardSource() {
	}

	/**
	 * Whether {@code source} has {@code def <function>(} or {@code async def <function>(}
	 * at column 0.
	 */
	public static boolean defines(String source, String function) {
		if (source == null || function == null || !IDENTIFIER.matcher(function).matches()) {
			return false;
		}
		return Pattern.compile("^(async\\s+)?def\\s+" + function + "\\s*\\(", Pattern.MULTILINE).matcher(source).find();
	}

	public static String functionOrDefault(String function) {
		return (function != null && !function.isBlank()) ? function : DEFAULT_FUNCTION;
	}

}
