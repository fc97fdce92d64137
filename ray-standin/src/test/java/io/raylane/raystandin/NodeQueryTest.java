package io.raylane.raystandin;

import java.util.List;
import java.util.Map;

import io.raylane.rayclient.wire.RayListResponse;
import io.raylane.rayclient.wire.RayNodeState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class NodeQueryTest {

	private static final List<RayNodeState> NODES = List.of(node("cc", "127.0.0.3", false, "ALIVE"),
			node("aa", "127.0.0.1", true, "ALIVE"), node("bb", "127.0.0.2", false, "DEAD"));

	@Test
	void shouldListEveryNodeSortedByIdWithoutDetailColumns() {
		RayListResponse<Map<String, Object>> answer = NodeQuery.parse(Map.of()).apply(NODES, NodeQueryTest::columns);

		assertThat(answer.result()).isTrue();
		assertThat(answer.msg()).isEmpty();
		assertThat(answer.items()).extracting((m) -> m.get("node_id")).containsExactly("aa", "bb", "cc");
		assertThat(answer.items().get(0)).doesNotContainKeys("start_time_ms", "end_time_ms");
		assertThat(answer.data().result().total()).isEqualTo(3);
	}

	@Test
	void shouldKeepDetailColumnsWithDetailTrue() {
		var answer = NodeQuery.parse(Map.of("detail", List.of("true"))).apply(NODES, NodeQueryTest::columns);

		assertThat(answer.items().get(0)).containsKeys("start_time_ms", "end_time_ms");
	}

	@Test
	void shouldAndFiltersAndCompareCaseInsensitively() {
		var query = NodeQuery.parse(Map.of("filter_keys", List.of("is_head_node", "state"), "filter_predicates",
				List.of("=", "!="), "filter_values", List.of("FALSE", "dead")));

		var answer = query.apply(NODES, NodeQueryTest::columns);

		assertThat(answer.items()).extracting((m) -> m.get("node_id")).containsExactly("cc");
		assertThat(answer.data().result().total()).isEqualTo(3);
		assertThat(answer.data().result().numFiltered()).isEqualTo(1);
	}

	@Test
	void shouldTruncateToTheLimit() {
		var answer = NodeQuery.parse(Map.of("limit", List.of("2"))).apply(NODES, NodeQueryTest::columns);

		assertThat(answer.items()).extracting((m) -> m.get("node_id")).containsExactly("aa", "bb");
		assertThat(answer.data().result().numAfterTruncation()).isEqualTo(2);
	}

	@Test
	void shouldRefuseBadParameters() {
		assertThatIllegalArgumentException().isThrownBy(() -> NodeQuery.parse(Map.of("limit", List.of("10001"))))
			.withMessageContaining("exceeds the supported limit 10000");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NodeQuery.parse(Map.of("filter_keys", List.of("cpu"), "filter_predicates", List.of("="),
					"filter_values", List.of("1"))))
			.withMessageContaining("cpu");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NodeQuery.parse(Map.of("filter_keys", List.of("state"), "filter_predicates", List.of(">"),
					"filter_values", List.of("ALIVE"))))
			.withMessageContaining("Unsupported filter predicate >");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NodeQuery.parse(Map.of("filter_keys", List.of("state"), "filter_values", List.of("x"))));
	}

	private static Map<String, Object> columns(RayNodeState n) {
		Map<String, Object> m = new java.util.LinkedHashMap<>();
		m.put("node_id", n.nodeId());
		m.put("state", n.state());
		m.put("start_time_ms", n.startTimeMs());
		m.put("end_time_ms", n.endTimeMs());
		return m;
	}

	private static RayNodeState node(String id, String ip, boolean head, String state) {
		return new RayNodeState(id, ip, head, state, null, ip, Map.of(), Map.of(), 1L, null);
	}

}
