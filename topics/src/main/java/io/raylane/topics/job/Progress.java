package io.raylane.topics.job;

import java.time.Instant;

/** How far a running training job is, read from its driver log's step lines. */
public record Progress(Integer step, Integer totalSteps, Instant updatedAt) {
}
