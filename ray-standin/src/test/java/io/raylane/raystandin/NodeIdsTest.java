package io.raylane.raystandin;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NodeIdsTest {

	@Test
	void shouldDeriveStableRayShapedNodeIds() {
		Path dir = Path.of("/data/local-ray");

		assertThat(NodeIds.headNodeId(dir)).hasSize(56).matches("[0-9a-f]+").isEqualTo(NodeIds.headNodeId(dir));
		assertThat(NodeIds.workerNodeId(dir, "127.0.0.2", 0)).isEqualTo(NodeIds.workerNodeId(dir, "127.0.0.2", 0))
			.isNotEqualTo(NodeIds.workerNodeId(dir, "127.0.0.2", 1))
			.isNotEqualTo(NodeIds.workerNodeId(Path.of("/other"), "127.0.0.2", 0));
	}

	@Test
	void shouldFormatRayJobIdsAsLittleEndianCounters() {
		assertThat(NodeIds.rayJobId(1)).isEqualTo("01000000");
		assertThat(NodeIds.rayJobId(258)).isEqualTo("02010000");
		assertThat(NodeIds.rayJobCounter("02010000")).isEqualTo(258);
	}

}
