package io.raylane.deploy.bench;

import java.util.Map;
import java.util.function.Predicate;

import io.raylane.topics.Topics;
import tools.jackson.databind.JsonNode;

/**
 * The topics whose visibility marks a job's progress through the platform, and which of
 * their records count.
 */
final class Milestones {

	/**
	 * The scheduler's by-pool repartition (SchedulerTopology: {@code <application
	 * id>-by-pool-repartition}, default application id).
	 */
	static final String BY_POOL = "raylane-scheduler-by-pool-repartition";

	static final String DISPATCH = Topics.DISPATCH.name();

	static final String SUBMIT_RESULTS = Topics.SUBMIT_RESULTS.name();

	/**
	 * The observer's observation of a job's end on Ray (a terminal {@code ray_status}),
	 * before the scheduler has read it.
	 */
	static final String RAY_ENDED = Topics.RAY_OBSERVATIONS.name();

	private static final java.util.Set<String> RAY_TERMINAL = java.util.Set.of("SUCCEEDED", "FAILED", "STOPPED");

	/** A terminal JobView: the job's end is known and its GPUs are released. */
	static final String TERMINAL = Topics.JOB_STATES.name();

	private static final java.util.Set<String> TERMINAL_STATUSES = java.util.Set.of("SUCCEEDED", "FAILED", "STOPPED",
			"CANCELLED", "TIMED_OUT", "REJECTED", "LOST");

	private Milestones() {
	}

	static Map<String, Predicate<JsonNode>> topics() {
		return Map.of(BY_POOL, (value) -> true, DISPATCH, (value) -> true, SUBMIT_RESULTS, (value) -> true, RAY_ENDED,
				(value) -> value.hasNonNull("ray_status") && RAY_TERMINAL.contains(value.get("ray_status").asString()),
				TERMINAL,
				(value) -> value.hasNonNull("status") && TERMINAL_STATUSES.contains(value.get("status").asString()));
	}

}
