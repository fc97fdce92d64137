package io.raylane.topics.job;

import java.time.Instant;
import java.util.Map;

/**
 * How far a running training job is, read from its driver log's step lines.
 *
 * @param metrics the latest metrics line's numeric values by verl's key (e.g.
 * {@code critic/score/mean}, {@code train/loss}), at most a few dozen (issue 13 item 6);
 * null before the first step line
 */
public record Progress(Integer step, Integer totalSteps, Instant updatedAt, Map<String, Double> metrics) {

	public Progress {
		metrics = (metrics != null) ? java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics))
				: null;
	}

	/** Without metrics. */
	public Progress(Integer step, Integer totalSteps, Instant updatedAt) {
		this(step, totalSteps, updatedAt, null);
	}

}
