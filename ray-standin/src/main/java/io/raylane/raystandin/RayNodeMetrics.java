package io.raylane.raystandin;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Renders one node's GPU metrics in the Prometheus text format, with the names, labels
 * and units of Ray's reporter agent (docs/reference/ray-http.md §9):
 * {@code ray_node_gpus_utilization} (0-100), {@code ray_node_gram_used} and
 * {@code ray_node_gram_available} (MiB, although Ray declares "bytes"),
 * {@code ray_node_gpus_available} (1 per GPU), one series per GPU labelled {@code ip},
 * {@code Version}, {@code SessionName}, {@code IsHeadNode}, {@code GpuIndex},
 * {@code GpuDeviceName}. Pure.
 */
final class RayNodeMetrics {

	private RayNodeMetrics() {
	}

	/** The HELP texts are Ray's own (reporter_agent.py METRICS_GAUGES). */
	static String render(String ip, String version, String sessionName, List<SimulatedGpus.Gpu> gpus) {
		StringBuilder text = new StringBuilder();
		family(text, "ray_node_gpus_available", "Total GPUs available on a ray node", ip, version, sessionName, gpus,
				(gpu) -> 1);
		family(text, "ray_node_gpus_utilization", "Total GPUs usage on a ray node", ip, version, sessionName, gpus,
				SimulatedGpus.Gpu::utilization);
		family(text, "ray_node_gram_used", "Total GPU RAM usage on a ray node", ip, version, sessionName, gpus,
				SimulatedGpus.Gpu::gramUsedMib);
		family(text, "ray_node_gram_available", "Total GPU RAM available on a ray node", ip, version, sessionName, gpus,
				SimulatedGpus.Gpu::gramAvailableMib);
		return text.toString();
	}

	private static void family(StringBuilder text, String name, String help, String ip, String version,
			String sessionName, List<SimulatedGpus.Gpu> gpus, ToDoubleFunction<SimulatedGpus.Gpu> value) {
		text.append("# HELP ").append(name).append(' ').append(help).append('\n');
		text.append("# TYPE ").append(name).append(" gauge\n");
		for (SimulatedGpus.Gpu gpu : gpus) {
			text.append(name)
				.append("{GpuDeviceName=\"")
				.append(escape(SimulatedGpus.DEVICE_NAME))
				.append("\",GpuIndex=\"")
				.append(gpu.index())
				.append("\",IsHeadNode=\"false\",SessionName=\"")
				.append(escape(sessionName))
				.append("\",Version=\"")
				.append(escape(version))
				.append("\",ip=\"")
				.append(escape(ip))
				.append("\"} ")
				.append(Double.toString(value.applyAsDouble(gpu)))
				.append('\n');
		}
	}

	private static String escape(String value) {
		return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
	}

}
