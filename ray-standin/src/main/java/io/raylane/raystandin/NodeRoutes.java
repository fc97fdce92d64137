package io.raylane.raystandin;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import io.raylane.rayclient.wire.RayJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The local head's own join/leave routes, NOT part of Ray's API: what a {@code ray start}
 * / {@code ray stop} stand-in running on a simulated worker calls (e.g. with curl over
 * SSH).
 * <ul>
 * <li>{@code POST /raylane-local/v1/nodes}
 * {@code {"node_ip_address": "127.0.0.5", "num_gpus": 4, "resources":
 * {"raylane-pool-a100": 1000}, "labels": {"k": "v"}}} → 200 {@code {"node_id": "<hex>"}};
 * 409 text when that IP already has an ALIVE node; 400 text for a bad body.</li>
 * <li>{@code POST /raylane-local/v1/nodes/leave} {@code {"node_ip_address": ip}} or
 * {@code {"node_id": id}}, optional {@code "message"} → 200 {@code {"left": ["<hex>",
 * ...]}} (empty when nothing was alive: idempotent like {@code ray stop}).</li>
 * </ul>
 */
final class NodeRoutes {

	static final String JOIN = "/raylane-local/v1/nodes";

	static final String LEAVE = "/raylane-local/v1/nodes/leave";

	/** The death reason Ray records for a node stopped with {@code ray stop}. */
	static final String STOPPED_MESSAGE = "Expected termination: received SIGTERM";

	private final LocalRayHead head;

	NodeRoutes(LocalRayHead head) {
		this.head = head;
	}

	/** Handles the request if it is one of these routes; false otherwise. */
	boolean handle(HttpExchange exchange, String method, String path) throws IOException {
		if (!JOIN.equals(path) && !LEAVE.equals(path)) {
			return false;
		}
		if (!"POST".equals(method)) {
			HttpExchanges.text(exchange, 405, "405: Method Not Allowed");
			return true;
		}
		JsonNode body;
		try {
			body = RayJson.mapper().readTree(HttpExchanges.body(exchange));
		}
		catch (JacksonException ex) {
			HttpExchanges.text(exchange, 400, "invalid JSON: " + ex.getOriginalMessage());
			return true;
		}
		if (body == null || !body.isObject()) {
			HttpExchanges.text(exchange, 400, "the body must be a JSON object");
			return true;
		}
		if (JOIN.equals(path)) {
			join(exchange, body);
		}
		else {
			leave(exchange, body);
		}
		return true;
	}

	private void join(HttpExchange exchange, JsonNode body) throws IOException {
		WorkerSpec spec;
		try {
			spec = new WorkerSpec(text(body, "node_ip_address"), body.path("num_gpus").asInt(0), resources(body),
					labels(body));
		}
		catch (IllegalArgumentException ex) {
			HttpExchanges.text(exchange, 400, ex.getMessage());
			return;
		}
		try {
			HttpExchanges.json(exchange, 200, Map.of("node_id", this.head.join(spec)));
		}
		catch (IllegalStateException ex) {
			HttpExchanges.text(exchange, 409, ex.getMessage());
		}
	}

	private void leave(HttpExchange exchange, JsonNode body) throws IOException {
		String message = body.hasNonNull("message") ? body.get("message").asString() : STOPPED_MESSAGE;
		List<String> left;
		if (body.hasNonNull("node_id")) {
			String nodeId = body.get("node_id").asString();
			left = this.head.leave(nodeId, message) ? List.of(nodeId) : List.of();
		}
		else if (body.hasNonNull("node_ip_address")) {
			left = this.head.leaveIp(body.get("node_ip_address").asString(), message);
		}
		else {
			HttpExchanges.text(exchange, 400, "node_id or node_ip_address is required");
			return;
		}
		HttpExchanges.json(exchange, 200, Map.of("left", left));
	}

	private static String text(JsonNode body, String name) {
		JsonNode node = body.get(name);
		if (node == null || !node.isString()) {
			throw new IllegalArgumentException(name + " must be a string");
		}
		return node.asString();
	}

	private static Map<String, Double> resources(JsonNode body) {
		Map<String, Double> resources = new LinkedHashMap<>();
		if (body.hasNonNull("resources")) {
			for (Map.Entry<String, JsonNode> e : body.get("resources").properties()) {
				if (!e.getValue().isNumber()) {
					throw new IllegalArgumentException("resources values must be numbers");
				}
				resources.put(e.getKey(), e.getValue().doubleValue());
			}
		}
		return resources;
	}

	private static Map<String, String> labels(JsonNode body) {
		Map<String, String> labels = new LinkedHashMap<>();
		if (body.hasNonNull("labels")) {
			for (Map.Entry<String, JsonNode> e : body.get("labels").properties()) {
				labels.put(e.getKey(), e.getValue().asString());
			}
		}
		return labels;
	}

}
