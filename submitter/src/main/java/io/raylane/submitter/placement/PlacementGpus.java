package io.raylane.submitter.placement;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.raylane.topics.job.Resources;

/**
 * The GPUs the scheduler reserved for a job on each of its nodes, keyed by the value the
 * job's selector names the node by, for the placement shim's ledger
 * ({@value PlacementShim#GPUS_ENV}, docs/scheduling.md "Placement that Ray obeys"). Pure.
 *
 * <p>
 * {@code SubmitToRay} carries the reserved node ids and the spec; the scheduler reserves
 * {@code n_gpus_per_node} GPUs on each of the {@code nnodes} distinct nodes it picks
 * (PlanningPass, PoolCycle's reservation), so the per-node count is the spec's and needs
 * no field of its own. The shim can pin a bundle to one node only by the key the selector
 * uses for every node, so a selector that holds a job to its pool alone (a gang mixing
 * registered and learned nodes) gets no ledger: the shim then behaves as without one.
 */
public final class PlacementGpus {

	private PlacementGpus() {
	}

	/**
	 * {@code {"<node label value>": <gpus>}}, sorted; empty when there is no per-node
	 * selector, no node or no GPU.
	 * @param nodes the node ids the scheduler reserved ({@code SubmitToRay.nodes})
	 * @param resources the gang the job asked for (its spec's); null = no GPU
	 * @param selector the job's selector ({@link PlacementSelector#of})
	 */
	public static Map<String, Integer> of(List<String> nodes, Resources resources, Map<String, String> selector) {
		Map<String, Integer> gpus = new TreeMap<>();
		int perNode = (resources != null) ? resources.gpusPerNode() : 0;
		if (perNode <= 0 || nodes == null || selector == null || !perNodeKey(selector)) {
			return gpus;
		}
		nodes.stream().filter((n) -> n != null && !n.isBlank()).forEach((n) -> gpus.put(n, perNode));
		return gpus;
	}

	/** Whether the selector names nodes one by one (not the pool as a whole). */
	static boolean perNodeKey(Map<String, String> selector) {
		return selector.size() == 1 && (selector.containsKey(PlacementSelector.NODE_LABEL)
				|| selector.containsKey(PlacementSelector.RAY_NODE_ID_LABEL));
	}

}
