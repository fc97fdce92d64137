package io.raylane.raystandin;

import java.util.LinkedHashMap;
import java.util.Map;

import io.raylane.rayclient.wire.RayContract;

/**
 * What a simulated worker announces when it joins the local head, like the flags of
 * {@code ray start
 * --address=<head> --node-ip-address=<ip> --num-gpus=<n> --resources=<json> --labels=<k=v,...>}.
 *
 * @param ip the node's IP (a distinct loopback address per simulated node, e.g.
 * 127.0.0.2)
 * @param gpus logical GPUs ({@code GPU} resource)
 * @param resources custom resources, and overrides of the defaults (CPU, memory,
 * object_store_memory)
 * @param labels node labels ({@code ray.io/node-id} is added by the head)
 */
public record WorkerSpec(String ip, int gpus, Map<String, Double> resources, Map<String, String> labels) {

	public WorkerSpec {
		if (ip == null || ip.isBlank()) {
			throw new IllegalArgumentException("a worker needs an IP address");
		}
		if (gpus < 0) {
			throw new IllegalArgumentException("gpus must not be negative");
		}
		resources = (resources == null) ? Map.of() : Map.copyOf(resources);
		labels = (labels == null) ? Map.of() : Map.copyOf(labels);
	}

	/**
	 * A worker of Raylane pool {@code pool}: it advertises {@code raylane-pool-<pool>}
	 * (1000 units).
	 */
	public static WorkerSpec ofPool(String ip, String pool, int gpus) {
		Map<String, Double> resources = new LinkedHashMap<>();
		resources.put(RayContract.poolResource(pool), (double) RayContract.POOL_RESOURCE_UNITS);
		return new WorkerSpec(ip, gpus, resources, Map.of());
	}

}
