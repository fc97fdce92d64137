package io.raylane.topics.node;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.raylane.topics.job.FieldError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

class NodeSpecValidatorTest {

	static NodeSpec spec(String host, String user, Map<String, String> labels) {
		return new NodeSpec("gpu-1", host, 22, user, "default", labels, 4, null);
	}

	@Test
	void shouldAcceptAPlainSpec() {
		assertThat(NodeSpecValidator.validate(spec("127.10.0.7", "ray", Map.of("zone", "a")))).isEmpty();
		assertThat(NodeSpecValidator.validate(spec("gpu-7.example.org", "ray", Map.of()))).isEmpty();
		assertThat(NodeSpecValidator.validate(spec("::1", "ray", Map.of()))).isEmpty();
	}

	static Stream<Arguments> hostile() {
		return Stream.of(Arguments.of("host with a command", spec("x;touch /tmp/pwned", "ray", Map.of()), "host"),
				Arguments.of("host with $()", spec("$(id)", "ray", Map.of()), "host"),
				Arguments.of("host as an ssh option", spec("-oProxyCommand=id", "ray", Map.of()), "host"),
				Arguments.of("user with a backtick", spec("127.10.0.7", "r`id`", Map.of()), "user"),
				Arguments.of("label value with quotes and $()", spec("127.10.0.7", "ray", Map.of("k", "a'$(id)'")),
						"labels.k"),
				Arguments.of("label key with a space", spec("127.10.0.7", "ray", Map.of("a b", "v")), "labels.a b"),
				Arguments.of("reserved label", spec("127.10.0.7", "ray", Map.of("ray.io/node-id", "x")),
						"labels.ray.io/node-id"),
				Arguments.of("Raylane's label", spec("127.10.0.7", "ray", Map.of("raylane.io/pool", "x")),
						"labels.raylane.io/pool"),
				Arguments.of("key path", new NodeSpec("gpu-1", "h", 22, "ray", "default", Map.of(), 1, "../id_rsa"),
						"ssh_key"),
				Arguments.of("node id with a slash", new NodeSpec("a/b", "h", 22, "ray", "default", Map.of(), 1, null),
						"node_id"),
				Arguments.of("bad port", new NodeSpec("a", "h", 0, "ray", "default", Map.of(), 1, null), "port"),
				Arguments.of("too many gpus", new NodeSpec("a", "h", 22, "ray", "default", Map.of(), 65, null), "gpus"),
				Arguments.of("pool with upper case", new NodeSpec("a", "h", 22, "ray", "A100", Map.of(), 1, null),
						"pool"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("hostile")
	void shouldRefuse(String scenario, NodeSpec spec, String wantField) {
		List<FieldError> errors = NodeSpecValidator.validate(spec);
		assertThat(errors).extracting(FieldError::field).containsExactly(wantField);
	}

	@Test
	void shouldRequireTheCoordinates() {
		assertThat(NodeSpecValidator.validate(new NodeSpec(null, null, null, null, null, null, null, null)))
			.extracting(FieldError::field)
			.containsExactly("node_id", "host", "user");
	}

}
