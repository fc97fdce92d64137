package io.raylane.topics.job;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a JobSpec runs: a plain shell command, or one of verl's post-training workloads.
 */
public enum Workload {

	COMMAND, PPO, GRPO, SFT;

	/** The spelling in a JobSpec: lower case. */
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	public static Optional<Workload> parse(String value) {
		if (value == null) {
			return Optional.empty();
		}
		return Arrays.stream(values()).filter((w) -> w.wireName().equals(value.trim())).findFirst();
	}

}
