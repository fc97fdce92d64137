package io.raylane.topics.job;

/**
 * The model a verl workload trains: {@code path} is an absolute path under the shared
 * root.
 */
public record ModelSpec(String path) {
}
