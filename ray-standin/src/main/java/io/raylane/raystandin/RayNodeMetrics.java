package io.raylane.raystandin;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Renders one node's metrics in the Prometheus text format, with the names, labels and
 * units of Ray 2.60 (docs/reference/ray-http.md §9): {@code ray_node_cpu_utilization}
 * (the node gauges' labels {@code ip}, {@code IsHeadNode}, {@code RayNodeType},
 * {@code SessionName}, {@code Version}), {@code ray_resources} (the raylet's logical
 * resources per {@code State} AVAILABLE/USED, labelled {@code NodeAddress} and
 * {@code Name}) and, for a worker with GPUs, the GPU gauges
 * {@code ray_node_gpus_utilization} (0-100), {@code ray_node_gram_used} and
 * {@code ray_node_gram_available} (MiB, although Ray declares "bytes"),
 * {@code ray_node_gpus_available} (1 per GPU), one series per GPU with {@code GpuIndex}
 * and {@code GpuDeviceName}. Every series carries Ray's OpenTelemetry scope labels. Pure.
 */
final class RayNodeMetrics {

	private static final String SCOPE = ",otel_scope_name=\"ray._private.telemetry.open_telemetry_metric_recorder\","
			+ "otel_scope_schema_url=\"\",otel_scope_version=\"\"";

	private RayNodeMetrics() {
	}

	/** What one node's endpoint shows. */
	record Node(String ip, boolean head, List<SimulatedGpus.Gpu> gpus, Map<String, Double> resourcesTotal,
			Map<String, Double> resourcesUsed) {
	}

	/** The HELP texts are Ray's own (reporter_agent.py METRICS_GAUGES, metric_defs). */
	static String render(Node node, String version, String sessionName) {
		String nodeLabels = "IsHeadNode=\"" + node.head() + "\",RayNodeType=\"" + (node.head() ? "head" : "worker")
				+ "\",SessionName=\"" + escape(sessionName) + "\",Version=\"" + escape(version) + "\",ip=\""
				+ escape(node.ip()) + "\"";
		StringBuilder text = new StringBuilder();
		header(text, "ray_node_cpu_utilization", "Total CPU usage on a ray node");
		// a simulated node does no work of its own
		text.append("ray_node_cpu_utilization{").append(nodeLabels).append(SCOPE).append("} 0.0\n");
		resources(text, node, version, sessionName);
		if (!node.gpus().isEmpty()) {
			gpuFamily(text, "ray_node_gpus_available", "Total GPUs available on a ray node", nodeLabels, node.gpus(),
					(gpu) -> 1);
			gpuFamily(text, "ray_node_gpus_utilization", "Total GPUs usage on a ray node", nodeLabels, node.gpus(),
					SimulatedGpus.Gpu::utilization);
			gpuFamily(text, "ray_node_gram_used", "Total GPU RAM usage on a ray node", nodeLabels, node.gpus(),
					SimulatedGpus.Gpu::gramUsedMib);
			gpuFamily(text, "ray_node_gram_available", "Total GPU RAM available on a ray node", nodeLabels, node.gpus(),
					SimulatedGpus.Gpu::gramAvailableMib);
		}
		return text.toString();
	}

	/** The raylet's logical resources; Ray leaves the {@code node:<ip>} markers out. */
	private static void resources(StringBuilder text, Node node, String version, String sessionName) {
		header(text, "ray_resources", "Logical Ray resources broken per state {AVAILABLE, USED}");
		for (Map.Entry<String, Double> e : new TreeMap<>(node.resourcesTotal()).entrySet()) {
			if (e.getKey().startsWith("node:")) {
				continue;
			}
			double used = node.resourcesUsed().getOrDefault(e.getKey(), 0.0);
			for (String state : new String[] { "AVAILABLE", "USED" }) {
				text.append("ray_resources{Component=\"raylet\",Name=\"")
					.append(escape(e.getKey()))
					.append("\",NodeAddress=\"")
					.append(escape(node.ip()))
					.append("\",SessionName=\"")
					.append(escape(sessionName))
					.append("\",State=\"")
					.append(state)
					.append("\",Version=\"")
					.append(escape(version))
					.append("\",WorkerId=\"\"")
					.append(SCOPE)
					.append("} ")
					.append(state.equals("USED") ? used : Math.max(0, e.getValue() - used))
					.append('\n');
			}
		}
	}

	private static void gpuFamily(StringBuilder text, String name, String help, String nodeLabels,
			List<SimulatedGpus.Gpu> gpus, ToDoubleFunction<SimulatedGpus.Gpu> value) {
		header(text, name, help);
		for (SimulatedGpus.Gpu gpu : gpus) {
			text.append(name)
				.append("{GpuDeviceName=\"")
				.append(escape(SimulatedGpus.DEVICE_NAME))
				.append("\",GpuIndex=\"")
				.append(gpu.index())
				.append("\",")
				.append(nodeLabels)
				.append(SCOPE)
				.append("} ")
				.append(Double.toString(value.applyAsDouble(gpu)))
				.append('\n');
		}
	}

	private static void header(StringBuilder text, String name, String help) {
		text.append("# HELP ").append(name).append(' ').append(help).append('\n');
		text.append("# TYPE ").append(name).append(" gauge\n");
	}

	private static String escape(String value) {
		return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
	}

}
