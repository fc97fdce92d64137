package io.raylane.raystandin;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.raylane.rayclient.wire.RayListResponse;
import io.raylane.rayclient.wire.RayNodeState;

/**
 * {@code GET /api/v0/nodes} of Ray's State API: {@code limit} (default 100, at most
 * 10000), {@code detail}, and AND-ed
 * {@code filter_keys}/{@code filter_predicates}/{@code filter_values} triples ({@code =}
 * or {@code !=}, case-insensitive) on the filterable node columns. Nodes come sorted by
 * node id. Bad parameters throw {@link IllegalArgumentException} (HTTP 400).
 */
record NodeQuery(int limit, boolean detail, List<Filter> filters) {

	static final int DEFAULT_LIMIT = 100;

	static final int MAX_LIMIT = 10_000;

	static final Set<String> FILTER_COLUMNS = Set.of("node_id", "node_ip", "is_head_node", "state", "node_name");

	/** Only with {@code detail=true}, as in Ray. */
	static final Set<String> DETAIL_COLUMNS = Set.of("start_time_ms", "end_time_ms");

	record Filter(String column, boolean equal, String value) {

		boolean matches(RayNodeState node) {
			String actual = switch (this.column) {
				case "node_id" -> node.nodeId();
				case "node_ip" -> node.nodeIp();
				case "is_head_node" -> String.valueOf(node.isHeadNode());
				case "state" -> node.state();
				default -> node.nodeName();
			};
			boolean same = actual != null
					&& actual.toLowerCase(Locale.ROOT).equals(this.value.toLowerCase(Locale.ROOT));
			return this.equal == same;
		}

	}

	static NodeQuery parse(Map<String, List<String>> params) {
		int limit = DEFAULT_LIMIT;
		String limitText = first(params, "limit");
		if (limitText != null) {
			try {
				limit = Integer.parseInt(limitText.trim());
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("limit must be an integer, got '" + limitText + "'");
			}
		}
		if (limit > MAX_LIMIT) {
			throw new IllegalArgumentException("Given limit " + limit + " exceeds the supported limit " + MAX_LIMIT
					+ ". Use a lower limit, or set the `RAY_MAX_LIMIT_FROM_API_SERVER` environment variable to a "
					+ "larger value.");
		}
		if (limit < 0) {
			throw new IllegalArgumentException("limit must not be negative, got " + limit);
		}
		// Ray's convert_string_to_type: True, true or 1
		boolean detail = List.of("True", "true", "1").contains(String.valueOf(first(params, "detail")));
		List<String> keys = params.getOrDefault("filter_keys", List.of());
		List<String> predicates = params.getOrDefault("filter_predicates", List.of());
		List<String> values = params.getOrDefault("filter_values", List.of());
		if (keys.size() != predicates.size() || keys.size() != values.size()) {
			throw new IllegalArgumentException(
					"filter_keys, filter_predicates and filter_values must come in triples, got " + keys.size() + ", "
							+ predicates.size() + " and " + values.size());
		}
		List<Filter> filters = new ArrayList<>();
		for (int i = 0; i < keys.size(); i++) {
			if (!FILTER_COLUMNS.contains(keys.get(i))) {
				throw new IllegalArgumentException("Given filter column " + keys.get(i)
						+ " is not supported. Enter filters with one of the supported columns: "
						+ FILTER_COLUMNS.stream().sorted().toList());
			}
			String predicate = predicates.get(i);
			if (!"=".equals(predicate) && !"!=".equals(predicate)) {
				throw new IllegalArgumentException(
						"Unsupported filter predicate " + predicate + " is given. Available predicates: =, !=.");
			}
			filters.add(new Filter(keys.get(i), "=".equals(predicate), values.get(i)));
		}
		return new NodeQuery(limit, detail, List.copyOf(filters));
	}

	/** The State API envelope for these nodes. */
	RayListResponse<Map<String, Object>> apply(List<RayNodeState> nodes,
			java.util.function.Function<RayNodeState, Map<String, Object>> toColumns) {
		List<RayNodeState> sorted = nodes.stream().sorted(Comparator.comparing(RayNodeState::nodeId)).toList();
		List<RayNodeState> filtered = sorted.stream()
			.filter((n) -> this.filters.stream().allMatch((f) -> f.matches(n)))
			.toList();
		List<Map<String, Object>> page = new ArrayList<>();
		for (RayNodeState node : filtered.subList(0, Math.min(this.limit, filtered.size()))) {
			Map<String, Object> columns = new LinkedHashMap<>(toColumns.apply(node));
			if (!this.detail) {
				DETAIL_COLUMNS.forEach(columns::remove);
			}
			page.add(columns);
		}
		var list = new RayListResponse.ListApiResponse<>(sorted.size(), Math.min(this.limit, sorted.size()),
				filtered.size(), page, "", null);
		return new RayListResponse<>(true, "", new RayListResponse.Data<>(list));
	}

	private static String first(Map<String, List<String>> params, String name) {
		List<String> values = params.get(name);
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

}
