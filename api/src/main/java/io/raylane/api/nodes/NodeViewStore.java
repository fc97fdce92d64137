package io.raylane.api.nodes;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.raylane.topics.node.NodeView;

import org.springframework.stereotype.Component;

/**
 * The API's materialized view of {@code raylane.node-states}: the latest NodeView of
 * every node. Fed by {@link NodeStatesReader}; read by the fleet endpoints. A
 * registration shows as a placeholder until the scheduler's snapshot replaces it. Also
 * read by the cluster gauges at scrape time (a fleet is small).
 */
@Component
public final class NodeViewStore {

	private final ConcurrentHashMap<String, NodeView> views = new ConcurrentHashMap<>();

	/** A snapshot from the topic: the truth, replacing whatever the store held. */
	void apply(NodeView view) {
		this.views.put(view.nodeId(), view);
	}

	/** The caller's own write, shown until a snapshot arrives; never replaces one. */
	void addPlaceholder(NodeView placeholder) {
		this.views.putIfAbsent(placeholder.nodeId(), placeholder);
	}

	void remove(String nodeId) {
		this.views.remove(nodeId);
	}

	Optional<NodeView> get(String nodeId) {
		return Optional.ofNullable(this.views.get(nodeId));
	}

	/** The pools of the nodes in this view. */
	public Set<String> pools() {
		return this.views.values()
			.stream()
			.map(NodeView::pool)
			.filter(java.util.Objects::nonNull)
			.collect(java.util.stream.Collectors.toUnmodifiableSet());
	}

	/** Every node, or those of one pool, by pool then id. */
	public List<NodeView> list(String pool) {
		return this.views.values()
			.stream()
			.filter((v) -> pool == null || pool.equals(v.pool()))
			.sorted(Comparator.comparing(NodeView::pool, Comparator.nullsFirst(Comparator.naturalOrder()))
				.thenComparing(NodeView::nodeId))
			.toList();
	}

}
