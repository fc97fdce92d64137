package io.raylane.raycluster;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a {@link RealRayCluster} is made: workers, their logical GPUs, CPUs and pools,
 * token authentication, and extra environment variables for every node's Ray processes
 * (e.g. {@code RAY_JOB_START_TIMEOUT_SECONDS}). Turned into {@code cluster.sh}'s
 * environment variables.
 *
 * @param workers worker nodes (the head comes on top)
 * @param gpusPerWorker logical GPUs of each worker ({@code --num-gpus})
 * @param cpusPerWorker CPUs of each worker ({@code --num-cpus})
 * @param pools pool of worker 1, 2, ...; a worker without an entry is in pool
 * {@code default}
 * @param tokenAuth whether every node runs with {@code RAY_AUTH_MODE=token}
 * @param authToken the token; null for a random one (read it with
 * {@link RealRayCluster#authToken()})
 * @param extraEnv added to the environment of every node
 */
public record RealRayClusterSettings(int workers, int gpusPerWorker, int cpusPerWorker, List<String> pools,
		boolean tokenAuth, String authToken, Map<String, String> extraEnv) {

	public RealRayClusterSettings {
		if (workers < 0 || workers > 8) {
			throw new IllegalArgumentException("workers must be between 0 and 8");
		}
		pools = List.copyOf(pools);
		extraEnv = Map.copyOf(extraEnv);
		for (Map.Entry<String, String> e : extraEnv.entrySet()) {
			if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*") || e.getValue().matches(".*\\s.*")) {
				// cluster.sh splits RAYLANE_RAY_EXTRA_ENV on whitespace
				throw new IllegalArgumentException(
						"extra env " + e.getKey() + " must be a name and a value without " + "whitespace");
			}
		}
	}

	/** Two workers of pool {@code default} with 4 GPUs and 4 CPUs each, no auth. */
	public static RealRayClusterSettings defaults() {
		return new RealRayClusterSettings(2, 4, 4, List.of(), false, null, Map.of());
	}

	public RealRayClusterSettings withWorkers(int count, int gpus) {
		return new RealRayClusterSettings(count, gpus, this.cpusPerWorker, this.pools, this.tokenAuth, this.authToken,
				this.extraEnv);
	}

	public RealRayClusterSettings withPools(String... poolOfEachWorker) {
		return new RealRayClusterSettings(this.workers, this.gpusPerWorker, this.cpusPerWorker,
				List.of(poolOfEachWorker), this.tokenAuth, this.authToken, this.extraEnv);
	}

	/** Token authentication on every node, with this token (null: a random one). */
	public RealRayClusterSettings withTokenAuth(String token) {
		return new RealRayClusterSettings(this.workers, this.gpusPerWorker, this.cpusPerWorker, this.pools, true, token,
				this.extraEnv);
	}

	public RealRayClusterSettings withExtraEnv(String name, String value) {
		Map<String, String> env = new LinkedHashMap<>(this.extraEnv);
		env.put(name, value);
		return new RealRayClusterSettings(this.workers, this.gpusPerWorker, this.cpusPerWorker, this.pools,
				this.tokenAuth, this.authToken, env);
	}

	/** cluster.sh's settings for this cluster in its slot. */
	Map<String, String> environment(ClusterSlot slot, Path venv) {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("RAYLANE_RAY_VENV", venv.toString());
		env.put("RAYLANE_RAY_CLUSTER_DIR", slot.dir().toString());
		env.put("RAYLANE_RAY_NAME", slot.name());
		env.put("RAYLANE_RAY_SUBNET", slot.subnet());
		env.put("RAYLANE_RAY_NETWORK", "netns");
		env.put("RAYLANE_RAY_WORKERS", Integer.toString(this.workers));
		env.put("RAYLANE_RAY_WORKER_GPUS", Integer.toString(this.gpusPerWorker));
		env.put("RAYLANE_RAY_WORKER_CPUS", Integer.toString(this.cpusPerWorker));
		if (!this.pools.isEmpty()) {
			env.put("RAYLANE_RAY_POOLS", String.join(",", this.pools));
		}
		env.put("RAYLANE_RAY_AUTH", this.tokenAuth ? "token" : "off");
		if (this.tokenAuth && this.authToken != null) {
			env.put("RAYLANE_RAY_AUTH_TOKEN", this.authToken);
		}
		if (!this.extraEnv.isEmpty()) {
			env.put("RAYLANE_RAY_EXTRA_ENV",
					this.extraEnv.entrySet()
						.stream()
						.map((e) -> e.getKey() + "=" + e.getValue())
						.collect(Collectors.joining(" ")));
		}
		return env;
	}

}
