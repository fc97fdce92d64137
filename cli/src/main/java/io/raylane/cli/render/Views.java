package io.raylane.cli.render;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * The API's JSON answers as text for people: tables for lists, {@code key: value} lines
 * for one job. Pure functions of the JSON (docs/api.md's field names), so they are tested
 * without an API; {@code --output json} prints the answers themselves instead.
 */
public final class Views {

	/** The statuses a job never leaves (docs/api.md). */
	public static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "STOPPED", "TIMED_OUT", "REJECTED");

	private Views() {
	}

	public static boolean isTerminal(String status) {
		return status != null && TERMINAL.contains(status);
	}

	/** {@code GET /v1/jobs}' {@code jobs}. */
	public static String jobs(JsonNode jobs) {
		List<List<String>> rows = new ArrayList<>();
		for (JsonNode job : jobs) {
			rows.add(Arrays.asList(text(job, "job_id"), text(job, "name"), text(job, "user"), text(job, "status"),
					text(job, "pool"), gang(job.get("resources")), text(job, "submitted_at"), progressOrReason(job)));
		}
		return Table.render(List.of("JOB", "NAME", "USER", "STATUS", "POOL", "GANG", "SUBMITTED", "PROGRESS/REASON"),
				rows);
	}

	/** One JobView ({@code GET /v1/jobs/{id}}). */
	public static String job(JsonNode job) {
		StringBuilder text = new StringBuilder();
		field(text, "job", text(job, "job_id"));
		for (String name : List.of("name", "user", "workload", "pool", "status", "reason")) {
			field(text, name, text(job, name));
		}
		field(text, "gang", gang(job.get("resources")));
		JsonNode progress = job.get("progress");
		if (progress != null && progress.isObject()) {
			field(text, "progress",
					ProgressBar.line(integer(progress, "step"), integer(progress, "total_steps"), text(job, "status")));
		}
		field(text, "queue position", text(job, "position"));
		field(text, "estimated start", text(job, "estimated_start"));
		for (JsonNode reason : iterable(job.get("reasons"))) {
			field(text, "waits", text(reason, "code") + ": " + text(reason, "detail"));
		}
		for (String name : List.of("submitted_at", "started_at", "ended_at", "driver_node_ip", "exit_code", "message",
				"job_dir")) {
			field(text, name.replace('_', ' '), text(job, name));
		}
		JsonNode failure = job.get("failure");
		if (failure != null && failure.isObject()) {
			field(text, "failure", text(failure, "category"));
			field(text, "hint", text(failure, "hint"));
			for (JsonNode line : iterable(failure.get("evidence"))) {
				field(text, "evidence", line.asString());
			}
		}
		return text.toString();
	}

	/** {@code GET /v1/queue}'s {@code jobs}: position, every reason, estimated start. */
	public static String queue(JsonNode jobs) {
		List<List<String>> rows = new ArrayList<>();
		for (JsonNode job : jobs) {
			List<String> reasons = new ArrayList<>();
			for (JsonNode reason : iterable(job.get("reasons"))) {
				reasons.add(text(reason, "code") + " (" + text(reason, "detail") + ")");
			}
			String why = reasons.isEmpty() ? text(job, "reason") : String.join("; ", reasons);
			rows.add(Arrays.asList(text(job, "position"), text(job, "job_id"), text(job, "name"), text(job, "user"),
					gang(job.get("resources")), text(job, "submitted_at"), text(job, "estimated_start"), why));
		}
		return Table.render(List.of("POS", "JOB", "NAME", "USER", "GANG", "SUBMITTED", "EST. START", "REASONS"), rows);
	}

	/** {@code GET /v1/usage}: one row per group, then the total. */
	public static String usage(JsonNode usage) {
		List<List<String>> rows = new ArrayList<>();
		for (JsonNode group : iterable(usage.get("groups"))) {
			rows.add(Arrays.asList(text(group, "key"), hours(group.get("gpu_hours")), text(group, "gpu_seconds"),
					text(group, "jobs"), text(group, "records"), text(group, "avg_gpu_utilization")));
		}
		rows.add(Arrays.asList("TOTAL", hours(usage.get("total_gpu_hours")), text(usage, "total_gpu_seconds"), "",
				text(usage, "records"), ""));
		String by = text(usage, "group_by");
		return "from " + text(usage, "from") + " to " + text(usage, "to") + " (as of " + text(usage, "as_of") + ")\n"
				+ Table.render(List.of((by != null) ? by.toUpperCase(Locale.ROOT) : "KEY", "GPU-HOURS", "GPU-SECONDS",
						"JOBS", "RECORDS", "AVG GPU UTIL %"), rows);
	}

	/** {@code GET /v1/nodes}' {@code nodes}. */
	public static String nodes(JsonNode nodes) {
		List<List<String>> rows = new ArrayList<>();
		for (JsonNode node : nodes) {
			rows.add(Arrays.asList(text(node, "node_id"), text(node, "pool"), text(node, "host"), text(node, "state"),
					text(node, "gpus_allocated") + "/" + text(node, "gpus"), String.valueOf(node.path("jobs").size()),
					text(node, "reason")));
		}
		return Table.render(List.of("NODE", "POOL", "HOST", "STATE", "GPUS USED", "JOBS", "REASON"), rows);
	}

	/** One NodeView. */
	public static String node(JsonNode node) {
		StringBuilder text = new StringBuilder();
		for (String name : List.of("node_id", "host", "port", "user", "pool", "state", "reason", "gpus",
				"gpus_allocated", "gpus_held_outside", "updated_at")) {
			field(text, name.replace('_', ' '), text(node, name));
		}
		field(text, "labels", node.has("labels") ? node.get("labels").toString() : null);
		field(text, "jobs", node.has("jobs") ? node.get("jobs").toString() : null);
		return text.toString();
	}

	/** {@code 2x4} (nodes × GPUs per node). */
	static String gang(JsonNode resources) {
		if (resources == null || !resources.isObject()) {
			return null;
		}
		return text(resources, "nnodes") + "x" + text(resources, "n_gpus_per_node");
	}

	private static String progressOrReason(JsonNode job) {
		JsonNode progress = job.get("progress");
		Integer step = (progress != null) ? integer(progress, "step") : null;
		Integer total = (progress != null) ? integer(progress, "total_steps") : null;
		if (step != null && total != null) {
			return step + "/" + total;
		}
		String reason = text(job, "reason");
		return (reason != null && reason.length() > 60) ? reason.substring(0, 59) + "…" : reason;
	}

	private static String hours(JsonNode hours) {
		return (hours != null && hours.isNumber()) ? String.format(Locale.ROOT, "%.3f", hours.asDouble()) : null;
	}

	private static void field(StringBuilder text, String name, String value) {
		if (value != null && !value.isBlank()) {
			text.append(name).append(": ").append(value.replaceAll("\\s*[\\r\\n]+\\s*", " ")).append('\n');
		}
	}

	static String text(JsonNode node, String field) {
		JsonNode value = (node != null) ? node.get(field) : null;
		if (value == null || value.isNull() || value.isMissingNode()) {
			return null;
		}
		return value.isValueNode() ? value.asString() : value.toString();
	}

	static Integer integer(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isNumber()) ? value.asInt() : null;
	}

	private static Iterable<JsonNode> iterable(JsonNode array) {
		return (array != null && array.isArray()) ? array : List.of();
	}

}
