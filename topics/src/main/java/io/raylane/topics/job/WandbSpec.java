package io.raylane.topics.job;

/** Weights &amp; Biases logging of a verl workload. */
public record WandbSpec(Boolean enabled, String project, String runName) {
}
