package io.raylane.raystandin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entrypoint resources of a submission ({@code entrypoint_num_cpus},
 * {@code entrypoint_num_gpus}, {@code entrypoint_memory}, {@code entrypoint_resources});
 * zero when absent, as Ray's job manager defaults them.
 */
record ResourceRequest(double cpus, double gpus, long memory, Map<String, Double> custom) {

	static final ResourceRequest NONE = new ResourceRequest(0, 0, 0, Map.of());

	ResourceRequest {
		custom = (custom == null) ? Map.of() : Map.copyOf(custom);
	}

	/**
	 * Ray's "resources specified": any positive cpus/gpus/memory or a non-empty custom
	 * map. Without it the driver is pinned to the head node (docs/reference/ray-http.md
	 * §8).
	 */
	boolean specified() {
		return this.cpus > 0 || this.gpus > 0 || this.memory > 0 || !this.custom.isEmpty();
	}

	/**
	 * The request as Ray resource names ({@code CPU}, {@code GPU}, {@code memory}, custom
	 * names).
	 */
	Map<String, Double> asResources() {
		Map<String, Double> all = new LinkedHashMap<>();
		if (this.cpus > 0) {
			all.put("CPU", this.cpus);
		}
		if (this.gpus > 0) {
			all.put("GPU", this.gpus);
		}
		if (this.memory > 0) {
			all.put("memory", (double) this.memory);
		}
		this.custom.forEach((name, amount) -> all.merge(name, amount, Double::sum));
		return all;
	}

}
