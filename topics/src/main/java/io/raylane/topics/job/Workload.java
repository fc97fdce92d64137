package io.raylane.topics.job;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a JobSpec runs: a plain shell command, one of verl's post-training workloads, or
 * the NCCL check an operator runs before handing nodes to users (roadmap §10.1, issue 16
 * item 6).
 */
public enum Workload {

	COMMAND, PPO, GRPO, SFT, NCCL_CHECK;

	/** The spelling in a JobSpec: lower case. */
	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Whether verl runs it (PPO, GRPO, SFT): Hydra overrides, checkpoints, progress. */
	public boolean verl() {
		return this == PPO || this == GRPO || this == SFT;
	}

	/** Every spelling, for messages: {@code command, ppo, grpo, sft, nccl_check}. */
	public static String accepted() {
		return Arrays.stream(values()).map(Workload::wireName).collect(Collectors.joining(", "));
	}

	public static Optional<Workload> parse(String value) {
		if (value == null) {
			return Optional.empty();
		}
		return Arrays.stream(values()).filter((w) -> w.wireName().equals(value.trim())).findFirst();
	}

}
