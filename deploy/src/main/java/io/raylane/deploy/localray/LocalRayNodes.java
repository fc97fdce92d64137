package io.raylane.deploy.localray;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.raylane.rayclient.wire.RayContract;

/**
 * The {@code ray start} commands and environments of the all-in-one's real local Ray: a
 * head at {@value #HEAD_IP} started as production starts one ({@code --num-cpus=0
 * --num-gpus=0}, dashboard, usage stats off, a small object store, a fixed metrics port)
 * and workers at 127.0.0.11, 127.0.0.12, ... with logical GPUs and the pool resource.
 * Pure: {@link LocalRealRay} picks the ports and runs them.
 *
 * <p>
 * Every node runs {@code ray start --block}: the command stays in the foreground as the
 * parent of the node's processes and, on SIGTERM, stops exactly those (with kernel fate
 * sharing should it die), so stopping the all-in-one never needs {@code ray stop}, which
 * stops every Ray on the machine. The head is not 127.0.0.1 because Ray replaces that
 * address with the machine's own; the nodes share the host's port space, so every port a
 * node binds on all interfaces or on its own IP and 127.0.0.1 is its own (the rest are
 * random), as in {@code ray-cluster/cluster.sh}'s host mode (ray-cluster/FINDINGS.md §1).
 *
 * @param ray the {@code ray} CLI
 * @param dir Ray's files: {@code <dir>/<node>/} is a node's working and temp directory
 * @param workers worker nodes (the head comes on top)
 * @param gpusPerWorker logical GPUs of each worker ({@code CUDA_VISIBLE_DEVICES} unset:
 * any machine will do)
 * @param pool the workers' Raylane pool
 * @param ports every port of the nodes
 */
public record LocalRayNodes(Path ray, Path dir, int workers, int gpusPerWorker, String pool, Ports ports) {

	public static final String HEAD_IP = "127.0.0.10";

	/** Ray's smallest object store is 75 MiB; the local nodes hold no large objects. */
	static final long OBJECT_STORE_BYTES = 100L << 20;

	/** CPUs of each worker, for the jobs' actors (the drivers need none). */
	static final int WORKER_CPUS = 4;

	/**
	 * The longest {@code dir} for which Ray's unix sockets ({@code
	 *
	<dir>
	 * /<node>/session_<date>_<time>_<micros>_<pid>/sockets/plasma_store}, the node dir
	 * being its {@code --temp-dir}) stay under the 107 characters Linux allows.
	 */
	static final int MAX_DIR_LENGTH = 36;

	/**
	 * @param dashboard the head's dashboard ({@code RAYLANE_LOCAL_RAY_PORT})
	 * @param gcs the head's GCS, which the workers join
	 * @param rayClient the head's Ray Client server (unused, but always bound)
	 * @param autoscalerMetrics the head's autoscaler metrics
	 * ({@code AUTOSCALER_METRIC_PORT})
	 * @param dashboardMetrics the head's dashboard metrics
	 * ({@code DASHBOARD_METRIC_PORT})
	 * @param metrics each node's {@code --metrics-export-port}, the head's first
	 * ({@code RAYLANE_RAY_METRICS_PORT} for the head)
	 * @param agents each node's {@code --dashboard-agent-listen-port}, the head's first
	 */
	public record Ports(int dashboard, int gcs, int rayClient, int autoscalerMetrics, int dashboardMetrics,
			List<Integer> metrics, List<Integer> agents) {

		public Ports {
			metrics = List.copyOf(metrics);
			agents = List.copyOf(agents);
		}

	}

	public LocalRayNodes {
		if (workers < 0 || workers > 200) {
			throw new IllegalArgumentException("workers must be between 0 and 200");
		}
		if (ports.metrics().size() != workers + 1 || ports.agents().size() != workers + 1) {
			throw new IllegalArgumentException("a metrics and an agent port for the head and each worker");
		}
	}

	/**
	 * Where Ray's files go: {@code <data dir>/ray}, or {@code /tmp/raylane-ray-<hash of
	 * the data dir>} when that path is too long for Ray's unix sockets.
	 */
	public static Path dirFor(Path dataDir) {
		Path preferred = dataDir.toAbsolutePath().normalize().resolve("ray");
		if (preferred.toString().length() <= MAX_DIR_LENGTH) {
			return preferred;
		}
		String hash = UUID.nameUUIDFromBytes(preferred.toString().getBytes(StandardCharsets.UTF_8))
			.toString()
			.substring(0, 8);
		return Path.of("/tmp", "raylane-ray-" + hash);
	}

	/** head, w1, w2, ... */
	public List<String> names() {
		List<String> names = new ArrayList<>(List.of("head"));
		for (int i = 1; i <= this.workers; i++) {
			names.add("w" + i);
		}
		return names;
	}

	public static String ip(String node) {
		return node.equals("head") ? HEAD_IP : "127.0.0." + (10 + Integer.parseInt(node.substring(1)));
	}

	public Path nodeDir(String node) {
		return this.dir.resolve(node);
	}

	public String dashboardUrl() {
		return "http://" + HEAD_IP + ":" + this.ports.dashboard();
	}

	/** What {@code ray start --address} joins. */
	public String gcsAddress() {
		return HEAD_IP + ":" + this.ports.gcs();
	}

	/** The {@code ray start --block ...} argv of a node. */
	public List<String> command(String node) {
		int index = node.equals("head") ? 0 : Integer.parseInt(node.substring(1));
		List<String> argv = new ArrayList<>(List.of(this.ray.toString(), "start", "--block"));
		if (index == 0) {
			argv.addAll(List.of("--head", "--node-ip-address=" + HEAD_IP, "--port=" + this.ports.gcs(), "--num-cpus=0",
					"--num-gpus=0", "--include-dashboard=true", "--dashboard-host=" + HEAD_IP,
					"--dashboard-port=" + this.ports.dashboard(),
					"--ray-client-server-port=" + this.ports.rayClient()));
		}
		else {
			argv.addAll(List.of("--address=" + gcsAddress(), "--node-ip-address=" + ip(node),
					"--num-gpus=" + this.gpusPerWorker, "--num-cpus=" + WORKER_CPUS, "--resources={\""
							+ RayContract.poolResource(this.pool) + "\": " + RayContract.POOL_RESOURCE_UNITS + "}"));
		}
		argv.addAll(List.of("--metrics-export-port=" + this.ports.metrics().get(index),
				"--dashboard-agent-listen-port=" + this.ports.agents().get(index),
				"--object-store-memory=" + OBJECT_STORE_BYTES, "--temp-dir=" + nodeDir(node), "--disable-usage-stats"));
		return argv;
	}

	/**
	 * A node's environment: the all-in-one's, without anything that would change how Ray
	 * runs ({@code RAY_*}, {@code CUDA_VISIBLE_DEVICES}), the CLI's directory first on
	 * PATH (jobs find the same Python), usage stats off, token authentication as the
	 * all-in-one's (explicitly off without a token: Ray 2.60 turns it on by itself when
	 * it finds a token file), and no drain on SIGTERM (Ray's default waits up to 30 s).
	 * @param inherited the all-in-one's environment
	 * @param authToken the Ray token, or null
	 */
	public Map<String, String> environment(String node, Map<String, String> inherited, String authToken) {
		Map<String, String> env = new LinkedHashMap<>(inherited);
		env.keySet().removeIf((name) -> name.startsWith("RAY_") || name.equals("CUDA_VISIBLE_DEVICES"));
		Path bin = this.ray.getParent();
		if (bin != null) {
			String path = env.get("PATH");
			env.put("PATH", (path == null || path.isEmpty()) ? bin.toString() : bin + ":" + path);
		}
		env.put("RAY_USAGE_STATS_ENABLED", "0");
		env.put("RAY_GRACEFUL_SHUTDOWN_DRAIN_TIMEOUT_S", "0");
		if (authToken != null) {
			env.put("RAY_AUTH_MODE", "token");
			env.put("RAY_AUTH_TOKEN", authToken);
		}
		else {
			env.put("RAY_AUTH_MODE", "disabled");
		}
		if (node.equals("head")) {
			env.put("AUTOSCALER_METRIC_PORT", Integer.toString(this.ports.autoscalerMetrics()));
			env.put("DASHBOARD_METRIC_PORT", Integer.toString(this.ports.dashboardMetrics()));
		}
		return env;
	}

}
