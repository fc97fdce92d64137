package io.raylane.topics.job;

/**
 * A custom reward function: a {@code .py} file under an allowed root and the function it
 * defines.
 */
public record RewardSpec(String path, String function) {
}
