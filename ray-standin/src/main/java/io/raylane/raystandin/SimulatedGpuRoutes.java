package io.raylane.raystandin;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import com.sun.net.httpserver.HttpExchange;
import io.raylane.rayclient.wire.RayJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The local head's route for driving the simulated GPUs, NOT part of Ray's API (a real
 * node's GPU metrics come from NVML):
 * {@code PUT /raylane-local/v1/simulated-gpus/<node ip>} with {@code {"utilization":
 * 37.5, "gram_used_mib": 20480, "gpu_index": 0}} ({@code gpu_index} optional: all GPUs of
 * the node when absent) → 200 with the node's GPUs {@code {"node_ip": ip, "gpus":
 * [{"gpu_index", "utilization", "gram_used_mib"}, ...]}}; 400 text naming the bad field;
 * 404 text when no ALIVE worker has that IP. {@code GET} on the same path answers the
 * same body.
 */
final class SimulatedGpuRoutes {

	static final String PREFIX = "/raylane-local/v1/simulated-gpus/";

	private static final Set<String> FIELDS = Set.of("utilization", "gram_used_mib", "gpu_index");

	private final SimulatedGpus gpus;

	SimulatedGpuRoutes(SimulatedGpus gpus) {
		this.gpus = gpus;
	}

	/** Handles the request if it is this route; false otherwise. */
	boolean handle(HttpExchange exchange, String method, String path) throws IOException {
		if (!path.startsWith(PREFIX) || path.length() == PREFIX.length()) {
			return false;
		}
		String ip = HttpExchanges.decode(path.substring(PREFIX.length()));
		if ("GET".equals(method)) {
			if (!this.gpus.knows(ip)) {
				HttpExchanges.text(exchange, 404, "no ALIVE worker node at " + ip);
				return true;
			}
			HttpExchanges.json(exchange, 200, body(ip, this.gpus.of(ip)));
		}
		else if ("PUT".equals(method)) {
			put(exchange, ip);
		}
		else {
			HttpExchanges.text(exchange, 405, "405: Method Not Allowed");
		}
		return true;
	}

	private void put(HttpExchange exchange, String ip) throws IOException {
		JsonNode body;
		try {
			body = RayJson.mapper().readTree(HttpExchanges.body(exchange));
		}
		catch (JacksonException ex) {
			HttpExchanges.text(exchange, 400, "invalid JSON: " + ex.getOriginalMessage());
			return;
		}
		try {
			if (body == null || !body.isObject()) {
				throw new IllegalArgumentException("the body must be a JSON object");
			}
			for (String name : body.propertyNames()) {
				if (!FIELDS.contains(name)) {
					throw new IllegalArgumentException(
							name + " is not a field; expected utilization, gram_used_mib, gpu_index");
				}
			}
			double utilization = number(body, "utilization");
			double gramUsed = number(body, "gram_used_mib");
			Integer index = null;
			if (body.hasNonNull("gpu_index")) {
				if (!body.get("gpu_index").canConvertToInt() || !body.get("gpu_index").isIntegralNumber()) {
					throw new IllegalArgumentException("gpu_index must be an integer");
				}
				index = body.get("gpu_index").asInt();
			}
			HttpExchanges.json(exchange, 200, body(ip, this.gpus.set(ip, index, utilization, gramUsed)));
		}
		catch (NoSuchElementException ex) {
			HttpExchanges.text(exchange, 404, ex.getMessage());
		}
		catch (IllegalArgumentException ex) {
			HttpExchanges.text(exchange, 400, ex.getMessage());
		}
	}

	private static double number(JsonNode body, String name) {
		JsonNode value = body.get(name);
		if (value == null || !value.isNumber()) {
			throw new IllegalArgumentException(name + " must be a number");
		}
		return value.doubleValue();
	}

	private static Map<String, Object> body(String ip, List<SimulatedGpus.Gpu> gpus) {
		return Map.of("node_ip", ip, "gpus",
				gpus.stream()
					.map((gpu) -> Map.of("gpu_index", gpu.index(), "utilization", gpu.utilization(), "gram_used_mib",
							gpu.gramUsedMib()))
					.toList());
	}

}
