package io.raylane.observer.placement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.raylane.observer.accounting.AccountedJob;
import io.raylane.topics.events.Alert;

/**
 * Raises {@code placement_violation} alerts (issue 14 item 2): a running job whose GPU
 * work Ray put on a node Raylane did not reserve for it. One alert per episode: again
 * only when the set of foreign nodes grows, and a new episode after the job is back
 * inside its reservation. {@link #plan} is pure; {@link #commit} keeps the plan after the
 * poll's transaction committed.
 */
public final class PlacementWatch {

	/** Job id to the nodes outside its reservation it was last alerted for. */
	private final Map<String, Set<String>> alerted = new HashMap<>();

	/**
	 * @param running the running jobs, with their reservation ({@code nodeIps} from
	 * Raylane's metadata)
	 */
	public Plan plan(List<AccountedJob> running, RayPlacement.Reading reading, Instant now) {
		Map<String, Set<String>> next = new HashMap<>();
		List<Alert> alerts = new ArrayList<>();
		for (AccountedJob job : running) {
			RayPlacement.JobPlacement actual = reading.jobs().get(job.jobId());
			if (actual == null || job.nodeIps().isEmpty()) {
				continue;
			}
			Set<String> beyond = new TreeSet<>(actual.nodeIps());
			beyond.removeAll(job.nodeIps());
			if (beyond.isEmpty()) {
				continue;
			}
			next.put(job.jobId(), beyond);
			Set<String> before = this.alerted.get(job.jobId());
			if (before == null || !before.containsAll(beyond)) {
				alerts.add(alert(job, actual, beyond, now));
			}
		}
		return new Plan(next, alerts);
	}

	public void commit(Plan plan) {
		this.alerted.clear();
		this.alerted.putAll(plan.alerted());
	}

	static Alert alert(AccountedJob job, RayPlacement.JobPlacement actual, Set<String> beyond, Instant now) {
		Map<String, Object> evidence = new LinkedHashMap<>();
		evidence.put("reserved_nodes", List.copyOf(job.nodeIps()));
		evidence.put("actual_nodes", actual.nodeIps());
		evidence.put("unreserved_nodes", List.copyOf(beyond));
		evidence.put("bundles",
				actual.held()
					.stream()
					.filter((held) -> beyond.contains(held.substring(held.lastIndexOf('@') + 1)))
					.toList());
		evidence.put("pool", job.pool());
		return new Alert(Alert.SCHEMA_VERSION, Alert.idOf(Alert.PLACEMENT_VIOLATION, job.jobId(), now),
				Alert.PLACEMENT_VIOLATION, Alert.SEVERITY_WARNING, job.jobId(),
				"Ray placed GPU work of job " + job.jobId() + " on " + String.join(", ", beyond)
						+ ", outside the nodes Raylane reserved for it (" + String.join(", ", job.nodeIps()) + ")",
				evidence, now);
	}

	/**
	 * @param alerted job id to the foreign nodes now alerted for
	 * @param alerts the alerts to publish
	 */
	public record Plan(Map<String, Set<String>> alerted, List<Alert> alerts) {

		public static final Plan NONE = new Plan(Map.of(), List.of());

	}

}
