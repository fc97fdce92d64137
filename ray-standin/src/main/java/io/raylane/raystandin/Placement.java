package io.raylane.raystandin;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a job's driver runs, decided as Ray schedules the job's supervisor actor
 * (docs/reference/ray-http.md §8): a job that specifies no resources is pinned to the
 * head node; otherwise any ALIVE node whose free resources (total minus what the drivers
 * running there reserved) cover the request, preferring the node with the fewest drivers.
 */
final class Placement {

	private static final double EPSILON = 1e-9;

	private Placement() {
	}

	/** What the drivers running on one node hold. */
	record Usage(Map<String, Double> reserved, int drivers) {

		static final Usage NONE = new Usage(Map.of(), 0);

		/** This usage with one more driver that reserves {@code resources}. */
		Usage plus(Map<String, Double> resources) {
			Map<String, Double> next = new java.util.HashMap<>(this.reserved);
			resources.forEach((name, amount) -> next.merge(name, amount, Double::sum));
			return new Usage(next, this.drivers + 1);
		}

	}

	static Optional<LocalNode> choose(ResourceRequest request, List<LocalNode> nodes, Map<String, Usage> usageByNode) {
		if (!request.specified()) {
			return nodes.stream().filter((n) -> n.head() && n.alive()).findFirst();
		}
		Map<String, Double> wanted = request.asResources();
		return nodes.stream()
			.filter(LocalNode::alive)
			.filter((n) -> fits(wanted, n.resourcesTotal(), usageByNode.getOrDefault(n.nodeId(), Usage.NONE)))
			.min(Comparator.comparingInt((LocalNode n) -> usageByNode.getOrDefault(n.nodeId(), Usage.NONE).drivers()));
	}

	static boolean fits(Map<String, Double> wanted, Map<String, Double> total, Usage usage) {
		for (Map.Entry<String, Double> e : wanted.entrySet()) {
			if (e.getValue() <= 0) {
				continue;
			}
			double free = total.getOrDefault(e.getKey(), 0.0) - usage.reserved().getOrDefault(e.getKey(), 0.0);
			if (free + EPSILON < e.getValue()) {
				return false;
			}
		}
		return true;
	}

}
