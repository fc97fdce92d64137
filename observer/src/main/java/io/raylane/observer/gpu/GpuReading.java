package io.raylane.observer.gpu;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.raylane.support.metrics.PrometheusText;

/**
 * One physical GPU of a node as its Ray metrics endpoint reports it
 * (docs/reference/ray-http.md §9).
 *
 * @param gpuIndex Ray's {@code GpuIndex} label
 * @param utilizationPercent {@code ray_node_gpus_utilization} (0–100), null when not
 * reported
 * @param memoryUsedMib {@code ray_node_gram_used}, in MiB as Ray reports it, null when
 * not reported
 */
public record GpuReading(String gpuIndex, Double utilizationPercent, Double memoryUsedMib) {

	static final String UTILIZATION = "ray_node_gpus_utilization";

	static final String GRAM_USED = "ray_node_gram_used";

	/** The GPUs of one node's exposition; other metrics and NaN values are dropped. */
	public static List<GpuReading> of(List<PrometheusText.Sample> samples) {
		Map<String, Double> utilization = new TreeMap<>();
		Map<String, Double> memory = new TreeMap<>();
		for (PrometheusText.Sample s : samples) {
			String index = s.labels().get("GpuIndex");
			if (index == null || Double.isNaN(s.value())) {
				continue;
			}
			if (UTILIZATION.equals(s.name())) {
				utilization.put(index, s.value());
			}
			else if (GRAM_USED.equals(s.name())) {
				memory.put(index, s.value());
			}
		}
		TreeMap<String, Boolean> indexes = new TreeMap<>();
		utilization.keySet().forEach((k) -> indexes.put(k, true));
		memory.keySet().forEach((k) -> indexes.put(k, true));
		return indexes.keySet().stream().map((k) -> new GpuReading(k, utilization.get(k), memory.get(k))).toList();
	}

}
