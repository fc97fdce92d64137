package io.raylane.submitter.placement;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The Ray label selector that keeps a job's GPU work on the nodes the scheduler reserved
 * for it (docs/scheduling.md "Placement that Ray obeys"). Pure.
 *
 * <p>
 * A reserved node id is either a registered node's Raylane id, which the node-agent gives
 * Ray as the node label {@value #NODE_LABEL} at {@code ray start}, or, for a node Raylane
 * learned from Ray alone, Ray's own hex node id, which every Ray 2.60 node carries as the
 * label {@value #RAY_NODE_ID_LABEL} (ray/_private/label_utils.py, {@code ray.io/} keys
 * are Ray's). A Ray selector ANDs its keys and has no OR across keys, so a gang mixing
 * both kinds can only be held to its pool ({@value #POOL_LABEL}); that case is rare (one
 * pool of registered and unregistered nodes) and documented as a limit.
 */
public final class PlacementSelector {

	/** The node label the node-agent sets to the Raylane node id. */
	public static final String NODE_LABEL = "raylane.io/node";

	/** The node label the node-agent sets to the node's pool. */
	public static final String POOL_LABEL = "raylane.io/pool";

	/** Ray's own label holding its hex node id. */
	public static final String RAY_NODE_ID_LABEL = "ray.io/node-id";

	/** Ray's node ids: 28 bytes in hex (ray.NodeID). */
	static final Pattern RAY_NODE_ID = Pattern.compile("[0-9a-f]{56}");

	private PlacementSelector() {
	}

	/**
	 * The selector for a job's reserved nodes: {@code {"<key>": "in(a,b)"}} with the ids
	 * sorted; empty when the scheduler named no node (then Raylane adds no constraint, as
	 * before).
	 * @param nodes the node ids the scheduler reserved ({@code SubmitToRay.nodes})
	 * @param pool the job's pool
	 */
	public static Map<String, String> of(List<String> nodes, String pool) {
		TreeSet<String> ids = new TreeSet<>();
		if (nodes != null) {
			nodes.stream().filter((n) -> n != null && !n.isBlank()).forEach(ids::add);
		}
		if (ids.isEmpty()) {
			return Map.of();
		}
		long rayIds = ids.stream().filter((n) -> RAY_NODE_ID.matcher(n).matches()).count();
		if (rayIds == ids.size()) {
			return Map.of(RAY_NODE_ID_LABEL, in(ids));
		}
		if (rayIds == 0) {
			return Map.of(NODE_LABEL, in(ids));
		}
		return (pool != null) ? Map.of(POOL_LABEL, pool) : Map.of();
	}

	/**
	 * Ray's set operator, {@code in(a,b)} (ray/_private/label_utils.py
	 * {@code LABEL_SELECTOR_REGEX}).
	 */
	static String in(TreeSet<String> ids) {
		return "in(" + String.join(",", ids) + ")";
	}

}
