package io.raylane.topics.events;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * Something an operator should look at, on {@code raylane.alerts} (key = subject). Raised
 * once per episode: a job whose GPUs stay idle raises one {@code gpu_idle} alert, not one
 * per poll.
 *
 * @param schemaVersion version of this record's shape
 * @param id deterministic: {@code <kind>/<subject>/<episode start, epoch ms>}, so a
 * consumer can deduplicate
 * @param kind what happened, e.g. {@link #GPU_IDLE}
 * @param severity {@code info}, {@code warning} or {@code critical}
 * @param subject what it is about: a job id for job alerts, a node id for node alerts
 * @param summary one human sentence
 * @param evidence the numbers behind it (e.g. threshold, window, utilization seen, nodes)
 * @param raisedAt when it was raised
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type", defaultImpl = Alert.class)
@JsonTypeName("Alert")
public record Alert(int schemaVersion, String id, String kind, String severity, String subject, String summary,
		Map<String, Object> evidence, Instant raisedAt) {

	public static final int SCHEMA_VERSION = 1;

	/**
	 * A running job's GPUs stayed under the utilization threshold for the whole idle
	 * window.
	 */
	public static final String GPU_IDLE = "gpu_idle";

	/**
	 * Ray put a job's GPU work on nodes Raylane did not reserve for it (issue 14 item 2):
	 * the evidence names the reserved and the actual nodes and the bundles.
	 */
	public static final String PLACEMENT_VIOLATION = "placement_violation";

	public static final String SEVERITY_WARNING = "warning";

	public Alert {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
		evidence = (evidence != null) ? Map.copyOf(evidence) : Map.of();
	}

	public static String idOf(String kind, String subject, Instant episodeStart) {
		return kind + "/" + subject + "/" + episodeStart.toEpochMilli();
	}

}
