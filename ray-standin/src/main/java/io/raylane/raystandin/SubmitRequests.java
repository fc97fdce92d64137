package io.raylane.raystandin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.raylane.rayclient.wire.RayJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Validates a {@code POST /api/jobs/} body the way Ray's dashboard does: null-valued keys
 * are dropped, then the rest must be keyword arguments of {@code JobSubmitRequest} with
 * the types its {@code __post_init__} checks. Every failure is a 400 with a Python-like
 * {@code TypeError} text (Ray answers with the traceback).
 */
final class SubmitRequests {

	/**
	 * The keys Ray 2.60's JobSubmitRequest accepts ({@code retry_policy} of newer masters
	 * is not one of them).
	 */
	static final Set<String> KNOWN_KEYS = Set.of("entrypoint", "submission_id", "job_id", "runtime_env", "metadata",
			"entrypoint_num_cpus", "entrypoint_num_gpus", "entrypoint_memory", "entrypoint_resources",
			"entrypoint_label_selector");

	/** aiohttp's answer when the handler fails on a body that is not JSON (HTTP 500). */
	static final String NOT_JSON = "500 Internal Server Error\n\nServer got itself in trouble";

	private SubmitRequests() {
	}

	/** The outcome: either a request or the error status and text. */
	record Parsed(SubmitRequest request, int status, String error) {

		boolean valid() {
			return this.request != null;
		}

	}

	static Parsed parse(String body) {
		JsonNode root;
		try {
			root = RayJson.mapper().readTree(body);
		}
		catch (JacksonException ex) {
			return new Parsed(null, 500, NOT_JSON);
		}
		if (root == null || !root.isObject()) {
			return invalid("TypeError: JobSubmitRequest() argument after ** must be a mapping, not "
					+ ((root == null) ? "NoneType" : pyName(root)));
		}
		Map<String, JsonNode> fields = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> e : root.properties()) {
			if (!e.getValue().isNull()) {
				fields.put(e.getKey(), e.getValue());
			}
		}
		for (String key : fields.keySet()) {
			if (!KNOWN_KEYS.contains(key)) {
				return invalid(
						"TypeError: JobSubmitRequest.__init__() got an unexpected keyword argument '" + key + "'");
			}
		}
		if (!fields.containsKey("entrypoint")) {
			return invalid(
					"TypeError: JobSubmitRequest.__init__() missing 1 required positional argument: 'entrypoint'");
		}
		String error = typeError(fields);
		if (error != null) {
			return invalid("TypeError: " + error);
		}
		return new Parsed(toRequest(fields), 200, null);
	}

	/** The checks of JobSubmitRequest.__post_init__, in its order; null when all pass. */
	private static String typeError(Map<String, JsonNode> f) {
		if (!f.get("entrypoint").isString()) {
			return "entrypoint must be a string, got " + pyType(f.get("entrypoint"));
		}
		for (String key : new String[] { "submission_id", "job_id" }) {
			if (f.containsKey(key) && !f.get(key).isString()) {
				return key + " must be a string if provided, got " + pyType(f.get(key));
			}
		}
		if (f.containsKey("runtime_env") && !f.get("runtime_env").isObject()) {
			return "runtime_env must be a dict, got " + pyType(f.get("runtime_env"));
		}
		if (f.containsKey("metadata")) {
			JsonNode metadata = f.get("metadata");
			if (!metadata.isObject()) {
				return "metadata must be a dict, got " + pyType(metadata);
			}
			for (JsonNode value : metadata.values()) {
				if (!value.isString()) {
					return "metadata values must be strings, got " + pyType(value);
				}
			}
		}
		for (String key : new String[] { "entrypoint_num_cpus", "entrypoint_num_gpus" }) {
			if (f.containsKey(key) && !isNumber(f.get(key))) {
				return key + " must be a number, got " + pyType(f.get(key));
			}
		}
		if (f.containsKey("entrypoint_memory") && !isInteger(f.get("entrypoint_memory"))) {
			return "entrypoint_memory must be an integer, got " + pyType(f.get("entrypoint_memory"));
		}
		if (f.containsKey("entrypoint_resources")) {
			JsonNode resources = f.get("entrypoint_resources");
			if (!resources.isObject()) {
				return "entrypoint_resources must be a dict, got " + pyType(resources);
			}
			for (JsonNode value : resources.values()) {
				if (!isNumber(value)) {
					return "entrypoint_resources values must be numbers, got " + pyType(value);
				}
			}
		}
		if (f.containsKey("entrypoint_label_selector")) {
			JsonNode selector = f.get("entrypoint_label_selector");
			if (!selector.isObject()) {
				return "entrypoint_label_selector must be a dict, got " + pyType(selector);
			}
			for (JsonNode value : selector.values()) {
				if (!value.isString()) {
					return "entrypoint_label_selector values must be strings, got " + pyType(value);
				}
			}
		}
		return null;
	}

	@SuppressWarnings("unchecked")
	private static SubmitRequest toRequest(Map<String, JsonNode> f) {
		String submissionId = f.containsKey("submission_id") ? f.get("submission_id").stringValue()
				: (f.containsKey("job_id") ? f.get("job_id").stringValue() : null);
		Map<String, Object> runtimeEnv = f.containsKey("runtime_env")
				? RayJson.mapper().treeToValue(f.get("runtime_env"), LinkedHashMap.class) : null;
		Map<String, String> metadata = null;
		if (f.containsKey("metadata")) {
			metadata = new LinkedHashMap<>();
			for (Map.Entry<String, JsonNode> e : f.get("metadata").properties()) {
				metadata.put(e.getKey(), e.getValue().stringValue());
			}
		}
		Map<String, Double> custom = new LinkedHashMap<>();
		if (f.containsKey("entrypoint_resources")) {
			for (Map.Entry<String, JsonNode> e : f.get("entrypoint_resources").properties()) {
				custom.put(e.getKey(), number(e.getValue()));
			}
		}
		ResourceRequest resources = new ResourceRequest(number(f.get("entrypoint_num_cpus")),
				number(f.get("entrypoint_num_gpus")),
				f.containsKey("entrypoint_memory") ? (long) number(f.get("entrypoint_memory")) : 0, custom);
		return new SubmitRequest(f.get("entrypoint").stringValue(), submissionId, runtimeEnv, metadata, resources);
	}

	// Python's bool is an int, so Ray accepts true/false where a number is expected
	private static boolean isNumber(JsonNode node) {
		return node.isNumber() || node.isBoolean();
	}

	private static boolean isInteger(JsonNode node) {
		return node.isIntegralNumber() || node.isBoolean();
	}

	private static double number(JsonNode node) {
		if (node == null) {
			return 0;
		}
		return node.isBoolean() ? (node.asBoolean() ? 1 : 0) : node.doubleValue();
	}

	private static String pyType(JsonNode node) {
		return "<class '" + pyName(node) + "'>";
	}

	private static String pyName(JsonNode node) {
		if (node.isString()) {
			return "str";
		}
		if (node.isBoolean()) {
			return "bool";
		}
		if (node.isIntegralNumber()) {
			return "int";
		}
		if (node.isNumber()) {
			return "float";
		}
		if (node.isArray()) {
			return "list";
		}
		return node.isObject() ? "dict" : "NoneType";
	}

	private static Parsed invalid(String text) {
		return new Parsed(null, 400, text);
	}

}
