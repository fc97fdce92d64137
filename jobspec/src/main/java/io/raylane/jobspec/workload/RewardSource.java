package io.raylane.jobspec.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
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

	/** {@code [+|++](reward.)custom_reward_function.reward_kwargs.NAME=…}. */
	static final Pattern REWARD_KWARG = Pattern
		.compile("^\\+{0,2}(?:reward\\.)?custom_reward_function\\.reward_kwargs(?:\\.([A-Za-z_][A-Za-z0-9_]*))?=");

	/**
	 * The reward manager keys of every version (0.8+: reward.*, before: reward_model.*).
	 */
	static final Pattern REWARD_MANAGER = Pattern
		.compile("^\\+{0,2}(?:reward\\.reward_manager(?:\\.name|\\.source)?|reward_model\\.reward_manager)=(.*)$");

	/** The managers that call the function as fn(data_source=…, solution_str=…, …). */
	static final Set<String> KEYWORD_MANAGERS = Set.of("naive", "dapo", "gdpo", "register");

	/**
	 * How verl will call the reward function, from the job's overrides (issue 13 item 5):
	 * the extra keywords {@code reward_kwargs.NAME=…} adds to every call, or null when an
	 * override makes the call unknown to Raylane (another reward manager, or
	 * {@code reward_kwargs} given as a whole dict): then only the definition is checked.
	 */
	public static List<String> extraKeywords(List<String> overrides) {
		List<String> names = new ArrayList<>();
		for (String override : (overrides != null) ? overrides : List.<String>of()) {
			Matcher kwarg = REWARD_KWARG.matcher(override);
			if (kwarg.find()) {
				if (kwarg.group(1) == null) {
					return null;
				}
				names.add(kwarg.group(1));
				continue;
			}
			Matcher manager = REWARD_MANAGER.matcher(override);
			if (manager.find() && !KEYWORD_MANAGERS.contains(manager.group(1).trim())) {
				return null;
			}
		}
		return names;
	}

}
