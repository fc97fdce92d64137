package io.raylane.raystandin;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's node table, as Ray's GCS keeps it: the head node, plus workers that join
 * (a {@code ray start
 * --address=...} stand-in) and leave ({@code ray stop}). A node that leaves turns DEAD
 * with a state message and stays listed. Thread-safe.
 */
final class NodeTable {

	static final double DEFAULT_CPUS = 16;

	static final double DEFAULT_MEMORY = 64.0 * (1L << 30);

	static final double DEFAULT_OBJECT_STORE_MEMORY = 16.0 * (1L << 30);

	private final Path stateDir;

	private final Clock clock;

	private final Map<String, LocalNode> nodes = new LinkedHashMap<>();

	private final Map<String, Integer> joinsByIp = new HashMap<>();

	private final LocalNode head;

	NodeTable(Path stateDir, Clock clock, String headIp) {
		this.stateDir = stateDir;
		this.clock = clock;
		String headId = NodeIds.headNodeId(stateDir);
		// the head runs no work: no CPU, no GPU, no pool resource
		// (docs/reference/ray-http.md §8)
		Map<String, Double> resources = new LinkedHashMap<>();
		resources.put("node:" + headIp, 1.0);
		resources.put(LocalNode.HEAD_RESOURCE, 1.0);
		this.head = new LocalNode(headId, headIp, true, resources, Map.of("ray.io/node-id", headId), true, null,
				clock.millis(), null);
		this.nodes.put(headId, this.head);
	}

	LocalNode head() {
		return this.head;
	}

	/**
	 * Adds an ALIVE worker; an IP that already has an ALIVE node is refused, like a
	 * second {@code ray start}.
	 */
	synchronized LocalNode join(WorkerSpec spec) {
		for (LocalNode node : this.nodes.values()) {
			if (node.alive() && node.ip().equals(spec.ip())) {
				throw new IllegalStateException(
						"Ray is already running at " + spec.ip() + " (node " + node.nodeId() + ")");
			}
		}
		int incarnation = this.joinsByIp.merge(spec.ip(), 1, Integer::sum) - 1;
		String nodeId = NodeIds.workerNodeId(this.stateDir, spec.ip(), incarnation);
		Map<String, Double> resources = new LinkedHashMap<>();
		resources.put("CPU", DEFAULT_CPUS);
		resources.put("GPU", (double) spec.gpus());
		resources.put("memory", DEFAULT_MEMORY);
		resources.put("object_store_memory", DEFAULT_OBJECT_STORE_MEMORY);
		resources.put("node:" + spec.ip(), 1.0);
		resources.putAll(spec.resources());
		if (spec.gpus() == 0 && !spec.resources().containsKey("GPU")) {
			resources.remove("GPU");
		}
		Map<String, String> labels = new LinkedHashMap<>(spec.labels());
		labels.put("ray.io/node-id", nodeId);
		LocalNode node = new LocalNode(nodeId, spec.ip(), false, resources, labels, true, null, this.clock.millis(),
				null);
		this.nodes.put(nodeId, node);
		return node;
	}

	/** Marks a worker DEAD; returns it, or empty if unknown. The head cannot leave. */
	synchronized Optional<LocalNode> leave(String nodeId, String message) {
		LocalNode node = this.nodes.get(nodeId);
		if (node == null) {
			return Optional.empty();
		}
		if (node.head()) {
			throw new IllegalArgumentException("the head node cannot leave its own cluster");
		}
		if (node.alive()) {
			node = node.dead(message, this.clock.millis());
			this.nodes.put(nodeId, node);
		}
		return Optional.of(node);
	}

	synchronized Optional<LocalNode> get(String nodeId) {
		return Optional.ofNullable(this.nodes.get(nodeId));
	}

	/** The ALIVE node with this IP. */
	synchronized Optional<LocalNode> aliveAt(String ip) {
		return this.nodes.values().stream().filter((n) -> n.alive() && n.ip().equals(ip)).findFirst();
	}

	synchronized List<LocalNode> all() {
		return new ArrayList<>(this.nodes.values());
	}

}
