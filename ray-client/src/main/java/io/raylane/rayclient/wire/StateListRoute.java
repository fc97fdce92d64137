package io.raylane.rayclient.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ray 2.60's State API lists {@code GET /api/v0/actors} and
 * {@code GET /api/v0/placement_groups}, as both imitations of the head serve them (the
 * stand-in's head and the services' fixture), so they answer in the shape the real head
 * answers (contract cases of {@code RayContractSuite}; fixtures
 * {@code ray-client/src/test/resources/fixtures/ray-2.60.0/}). Pure.
 *
 * <p>
 * What an imitation runs: shell entrypoints, never a Ray program, so it creates no
 * placement group and no actor of its own; what Ray lists for such a job is its
 * JobSupervisor actor, which the job manager creates per submission
 * ({@code dashboard/modules/job/job_manager.py} {@code submit_job}: detached, named
 * {@code _ray_internal_job_actor_<submission id>}, in namespace
 * {@code SUPERVISOR_ACTOR_RAY_NAMESPACE}, with the entrypoint's resources) and which
 * belongs to the dashboard's Ray job. The imitations list the supervisors of their
 * running jobs, ALIVE on the driver's node; Ray also lists pending and dead actors, which
 * Raylane's observer does not count (it reads ALIVE actors and CREATED groups). Columns
 * are those of Ray's {@code ActorState} and {@code PlacementGroupState}
 * ({@code util/state/common.py}): without {@code detail=true} only the summary columns.
 */
public final class StateListRoute {

	/** Ray's default {@code limit}. */
	public static final int DEFAULT_LIMIT = 100;

	/** Ray's {@code RAY_MAX_LIMIT_FROM_API_SERVER} default. */
	public static final int MAX_LIMIT = 10_000;

	/**
	 * The dashboard's own Ray job, which every JobSupervisor actor belongs to: the head's
	 * first job.
	 */
	public static final String DASHBOARD_JOB_ID = "01000000";

	public static final String SUPERVISOR_CLASS = "JobSupervisor";

	public static final String SUPERVISOR_NAMESPACE = "SUPERVISOR_ACTOR_RAY_NAMESPACE";

	/** Every column of an actor with {@code detail=true}, in Ray's order. */
	public static final List<String> ACTOR_COLUMNS = List.of("actor_id", "class_name", "state", "job_id", "name",
			"node_id", "pid", "ray_namespace", "serialized_runtime_env", "required_resources", "death_cause",
			"is_detached", "placement_group_id", "repr_name", "num_restarts",
			"num_restarts_due_to_lineage_reconstruction", "num_restarts_due_to_node_preemption", "call_site",
			"label_selector", "fallback_strategy");

	/** The columns Ray keeps without {@code detail=true}. */
	public static final List<String> ACTOR_SUMMARY_COLUMNS = ACTOR_COLUMNS.subList(0, 8);

	/** Every column of a placement group with {@code detail=true}, in Ray's order. */
	public static final List<String> PLACEMENT_GROUP_COLUMNS = List.of("placement_group_id", "name", "creator_job_id",
			"state", "bundles", "is_detached", "stats", "topology_strategy", "topology_assignments");

	/** The columns Ray keeps without {@code detail=true}. */
	public static final List<String> PLACEMENT_GROUP_SUMMARY_COLUMNS = PLACEMENT_GROUP_COLUMNS.subList(0, 4);

	private StateListRoute() {
	}

	/** An answer: HTTP status and the JSON body. */
	public record Answer(int status, Object body) {
	}

	/**
	 * The JobSupervisor actor of a running submission.
	 *
	 * @param submissionId the submission it supervises
	 * @param nodeId the driver's node ({@code driver_node_id})
	 * @param pid the process that stands for it
	 * @param requiredResources the entrypoint's resources as Ray names them, those above
	 * 0 ({@code CPU}, {@code GPU}, {@code memory}, custom)
	 * @param labelSelector the supervisor's label selector
	 */
	public record Supervisor(String submissionId, String nodeId, Long pid, Map<String, Double> requiredResources,
			Map<String, String> labelSelector) {

		public Supervisor {
			requiredResources = (requiredResources != null) ? Map.copyOf(requiredResources) : Map.of();
			labelSelector = (labelSelector != null) ? Map.copyOf(labelSelector) : Map.of();
		}

	}

	/** {@code GET /api/v0/actors} with these query parameters (first values). */
	public static Answer actors(Map<String, String> query, List<Supervisor> supervisors) {
		List<Map<String, Object>> rows = supervisors.stream()
			.map(StateListRoute::supervisorRow)
			.sorted(Comparator.comparing((row) -> (String) row.get("actor_id")))
			.toList();
		return list(query, rows, ACTOR_SUMMARY_COLUMNS);
	}

	/**
	 * {@code GET /api/v0/placement_groups}: an imitation runs no Ray program, so it has
	 * no group.
	 */
	public static Answer placementGroups(Map<String, String> query) {
		return list(query, List.of(), PLACEMENT_GROUP_SUMMARY_COLUMNS);
	}

	/**
	 * Ray's actor id of a submission's supervisor: 12 bytes of its own, then the id of
	 * the job that created it (here derived from the submission id, so it is stable).
	 */
	public static String supervisorActorId(String submissionId) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(submissionId.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(hash, 0, 12) + DASHBOARD_JOB_ID;
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static Map<String, Object> supervisorRow(Supervisor supervisor) {
		Map<String, Object> row = new LinkedHashMap<>();
		row.put("actor_id", supervisorActorId(supervisor.submissionId()));
		row.put("class_name", SUPERVISOR_CLASS);
		row.put("state", "ALIVE");
		row.put("job_id", DASHBOARD_JOB_ID);
		row.put("name", RayActorState.SUPERVISOR_PREFIX + supervisor.submissionId());
		row.put("node_id", supervisor.nodeId());
		row.put("pid", supervisor.pid());
		row.put("ray_namespace", SUPERVISOR_NAMESPACE);
		row.put("serialized_runtime_env", "{}");
		row.put("required_resources", supervisor.requiredResources());
		row.put("death_cause", null);
		row.put("is_detached", true);
		row.put("placement_group_id", null);
		row.put("repr_name", "");
		// Ray writes these counters as strings
		row.put("num_restarts", "0");
		row.put("num_restarts_due_to_lineage_reconstruction", "0");
		row.put("num_restarts_due_to_node_preemption", "0");
		row.put("call_site", null);
		row.put("label_selector", supervisor.labelSelector());
		row.put("fallback_strategy", null);
		return row;
	}

	private static Answer list(Map<String, String> query, List<Map<String, Object>> rows, List<String> summary) {
		int limit;
		try {
			String text = query.get("limit");
			limit = (text == null) ? DEFAULT_LIMIT : Integer.parseInt(text.strip());
		}
		catch (NumberFormatException ex) {
			return error("limit must be an integer, got '" + query.get("limit") + "'");
		}
		if (limit > MAX_LIMIT) {
			return error("Given limit " + limit + " exceeds the supported limit " + MAX_LIMIT
					+ ". Use a lower limit, or set the `RAY_MAX_LIMIT_FROM_API_SERVER` environment variable to a "
					+ "larger value.");
		}
		if (limit < 0) {
			return error("limit must not be negative, got " + limit);
		}
		// Ray's convert_string_to_type: True, true or 1
		boolean detail = List.of("True", "true", "1").contains(String.valueOf(query.get("detail")));
		List<Map<String, Object>> page = new ArrayList<>();
		for (Map<String, Object> row : rows.subList(0, Math.min(limit, rows.size()))) {
			Map<String, Object> columns = new LinkedHashMap<>(row);
			if (!detail) {
				columns.keySet().retainAll(summary);
			}
			page.add(columns);
		}
		var list = new RayListResponse.ListApiResponse<>(rows.size(), page.size(), rows.size(), page, "", null);
		return new Answer(200, new RayListResponse<>(true, "", new RayListResponse.Data<>(list)));
	}

	private static Answer error(String message) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("result", null);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("result", false);
		body.put("msg", message);
		body.put("data", data);
		return new Answer(400, body);
	}

}
