package io.raylane.api.nodes;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import io.raylane.api.errors.ApiException;
import io.raylane.topics.node.NodeSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code /v1/nodes} bodies (issue 12): unknown fields are refused, and a body is bounded.
 */
class NodeBodiesTest {

	static final String SPEC = """
			{"node_id": "n1", "host": "127.10.0.7", "user": "ray", "pool": "default", "gpus": 8}""";

	@Test
	void shouldReadAValidSpec() throws Exception {
		NodeSpec spec = NodeBodies.nodeSpec(body(SPEC));

		assertThat(spec.nodeId()).isEqualTo("n1");
		assertThat(spec.gpus()).isEqualTo(8);
	}

	@Test
	void shouldRefuseAnUnknownFieldNamingIt() {
		String typo = SPEC.replace("\"gpus\"", "\"gpu\"");

		assertThatThrownBy(() -> NodeBodies.nodeSpec(body(typo))).isInstanceOfSatisfying(ApiException.class, (ex) -> {
			assertThat(ex.status().value()).isEqualTo(400);
			assertThat(ex.field()).isEqualTo("gpu");
			assertThat(ex.getMessage()).contains("unknown field 'gpu'").contains("gpus");
		});
	}

	@Test
	void shouldRefuseADuplicateFieldAndTrailingData() {
		assertThatThrownBy(() -> NodeBodies.nodeSpec(body(SPEC.replace("}", ", \"host\": \"127.0.0.9\"}"))))
			.isInstanceOfSatisfying(ApiException.class, (ex) -> assertThat(ex.status().value()).isEqualTo(400));
		assertThatThrownBy(() -> NodeBodies.nodeSpec(body(SPEC + " {}"))).isInstanceOfSatisfying(ApiException.class,
				(ex) -> assertThat(ex.status().value()).isEqualTo(400));
	}

	@Test
	void shouldRefuseABodyPastTheBoundWith413() {
		String huge = SPEC.replace("}", ", \"ssh_key\": \"" + "k".repeat(NodeBodies.MAX_BODY_BYTES) + "\"}");

		assertThatThrownBy(() -> NodeBodies.nodeSpec(body(huge))).isInstanceOfSatisfying(ApiException.class,
				(ex) -> assertThat(ex.status().value()).isEqualTo(413));
		assertThatThrownBy(() -> NodeBodies.drainRequest(body("{\"timeout\": \"" + "1".repeat(70_000) + "s\"}")))
			.isInstanceOfSatisfying(ApiException.class, (ex) -> assertThat(ex.status().value()).isEqualTo(413));
	}

	@Test
	void shouldReadADrainRequestStrictly() throws Exception {
		assertThat(NodeBodies.drainRequest(body(""))).isNull();
		assertThat(NodeBodies.drainRequest(body("{\"timeout\": \"2h\"}")).timeout()).isEqualTo("2h");
		assertThatThrownBy(() -> NodeBodies.drainRequest(body("{\"timout\": \"2h\"}")))
			.isInstanceOfSatisfying(ApiException.class, (ex) -> assertThat(ex.field()).isEqualTo("timout"));
	}

	private static ByteArrayInputStream body(String text) {
		return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
	}

}
