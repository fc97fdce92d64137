package io.raylane.submitter.placement;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

class PlacementSelectorTest {

	static final String RAY_A = "a".repeat(56);

	static final String RAY_B = "0123456789abcdef0123456789abcdef0123456789abcdef01234567";

	static Stream<Arguments> cases() {
		return Stream.of(Arguments.of("no node named: no constraint", null, "a100", Map.of()),
				Arguments.of("empty list: no constraint", List.of(), "a100", Map.of()),
				Arguments.of("blank ids are ignored", Arrays.asList(" ", null), "a100", Map.of()),
				Arguments.of("registered nodes: Raylane's node label, sorted, no duplicates",
						List.of("gpu-2", "gpu-1", "gpu-2"), "a100", Map.of("raylane.io/node", "in(gpu-1,gpu-2)")),
				Arguments.of("one registered node", List.of("gpu-1"), "a100", Map.of("raylane.io/node", "in(gpu-1)")),
				Arguments.of("nodes learned from Ray: Ray's own node-id label", List.of(RAY_B, RAY_A), "a100",
						Map.of("ray.io/node-id", "in(" + RAY_B + "," + RAY_A + ")")),
				Arguments.of("a mix: only the pool can be named", List.of("gpu-1", RAY_A), "a100",
						Map.of("raylane.io/pool", "a100")),
				Arguments.of("a mix without a pool: nothing", List.of("gpu-1", RAY_A), null, Map.of()),
				Arguments.of("upper-case hex is not a Ray id", List.of(RAY_A.toUpperCase()), "p",
						Map.of("raylane.io/node", "in(" + RAY_A.toUpperCase() + ")")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void shouldNameTheReservedNodes(String name, List<String> nodes, String pool, Map<String, String> expected) {
		assertThat(PlacementSelector.of(nodes, pool)).isEqualTo(expected);
	}

}
