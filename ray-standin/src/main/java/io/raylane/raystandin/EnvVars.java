package io.raylane.raystandin;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a driver's environment as Ray's supervisor does: the node's environment, then
 * {@code runtime_env.env_vars} (each value may reference the node's variables as
 * {@code ${NAME}}; a missing one expands to the empty string), then the variables the
 * supervisor sets for the driver.
 */
final class EnvVars {

	private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

	private EnvVars() {
	}

	static Map<String, String> driverEnvironment(Map<String, String> nodeEnv, Map<String, Object> runtimeEnv,
			Map<String, String> supervisorVars) {
		Map<String, String> env = new HashMap<>(nodeEnv);
		env.putAll(expand(envVarsOf(runtimeEnv), nodeEnv));
		env.putAll(supervisorVars);
		return env;
	}

	/**
	 * Expands {@code ${NAME}} against {@code base} (not against each other, as Ray does).
	 */
	static Map<String, String> expand(Map<String, String> vars, Map<String, String> base) {
		Map<String, String> out = new HashMap<>();
		vars.forEach((name, value) -> {
			Matcher m = REFERENCE.matcher(value);
			StringBuilder sb = new StringBuilder();
			while (m.find()) {
				m.appendReplacement(sb, Matcher.quoteReplacement(base.getOrDefault(m.group(1), "")));
			}
			m.appendTail(sb);
			out.put(name, sb.toString());
		});
		return out;
	}

	/**
	 * {@code runtime_env.env_vars} as strings (Ray requires string values; others are
	 * stringified).
	 */
	static Map<String, String> envVarsOf(Map<String, Object> runtimeEnv) {
		Map<String, String> vars = new HashMap<>();
		if (runtimeEnv != null && runtimeEnv.get("env_vars") instanceof Map<?, ?> map) {
			map.forEach((k, v) -> {
				if (k != null && v != null) {
					vars.put(k.toString(), v.toString());
				}
			});
		}
		return vars;
	}

}
