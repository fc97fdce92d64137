package io.raylane.submitter.placement;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.raylane.topics.job.Resources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

class PlacementGpusTest {

	static final String RAY_A = "a".repeat(56);

	static Stream<Arguments> cases() {
		Map<String, String> byNode = Map.of("raylane.io/node", "in(gpu-1,gpu-2)");
		return Stream.of(
				Arguments.of("registered nodes: the spec's GPUs per node on each", List.of("gpu-2", "gpu-1"),
						Resources.of(2, 2), byNode, Map.of("gpu-1", 2, "gpu-2", 2)),
				Arguments.of("nodes learned from Ray: keyed by Ray's id", List.of(RAY_A), Resources.of(1, 4),
						Map.of("ray.io/node-id", "in(" + RAY_A + ")"), Map.of(RAY_A, 4)),
				Arguments.of("a pool-wide selector: no ledger", List.of("gpu-1", RAY_A), Resources.of(2, 2),
						Map.of("raylane.io/pool", "a100"), Map.of()),
				Arguments.of("no GPU asked: no ledger", List.of("gpu-1"), Resources.of(1, 0), byNode, Map.of()),
				Arguments.of("no spec (an old record): no ledger", List.of("gpu-1"), null, byNode, Map.of()),
				Arguments.of("no node: no ledger", List.of(), Resources.of(1, 2), Map.of(), Map.of()),
				Arguments.of("blank ids are ignored", Arrays.asList("gpu-1", " ", null), Resources.of(1, 2), byNode,
						Map.of("gpu-1", 2)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void shouldGiveTheGpusReservedOnEachNode(String name, List<String> nodes, Resources resources,
			Map<String, String> selector, Map<String, Integer> expected) {
		assertThat(PlacementGpus.of(nodes, resources, selector)).isEqualTo(expected);
	}

}
