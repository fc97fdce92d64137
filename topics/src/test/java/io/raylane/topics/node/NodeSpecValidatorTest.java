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
						"pool"),
				Arguments.of("unknown role", withRoleAndEnv("gateway", 0, null), "role"),
				Arguments.of("head with GPUs", withRoleAndEnv("head", 4, null), "gpus"),
				Arguments.of("env name in lower case", withRoleAndEnv(null, 4, Map.of("nccl_x", "1")), "env.nccl_x"),
				Arguments.of("env name starting with a digit", withRoleAndEnv(null, 4, Map.of("1X", "1")), "env.1X"),
				Arguments.of("env name with $()", withRoleAndEnv(null, 4, Map.of("$(id)", "1")), "env.$(id)"),
				Arguments.of("env value over two lines",
						withRoleAndEnv(null, 4, Map.of("NCCL_SOCKET_IFNAME", "eth0\nX=1")), "env.NCCL_SOCKET_IFNAME"),
				Arguments.of("env value too long",
						withRoleAndEnv(null, 4, Map.of("NCCL_SOCKET_IFNAME", "e".repeat(1025))),
						"env.NCCL_SOCKET_IFNAME"),
				Arguments.of("secret-looking env name", withRoleAndEnv(null, 4, Map.of("HF_TOKEN", "hf_x")),
						"env.HF_TOKEN"),
				Arguments.of("Ray's own token variable", withRoleAndEnv(null, 4, Map.of("RAY_AUTH_MODE", "token")),
						"env.RAY_AUTH_MODE"),
				Arguments.of("too many env variables", withRoleAndEnv(null, 4, manyVariables(33)), "env"));
	}

	static NodeSpec withRoleAndEnv(String role, int gpus, Map<String, String> env) {
		return new NodeSpec("gpu-1", "127.10.0.7", 22, "ray", "default", Map.of(), gpus, null, role, env);
	}

	static Map<String, String> manyVariables(int count) {
		Map<String, String> env = new java.util.HashMap<>();
		for (int i = 0; i < count; i++) {
			env.put("V" + i, "x");
		}
		return env;
	}

	@Test
	void shouldAcceptAHeadAndPerNodeEnvironment() {
		assertThat(NodeSpecValidator.validate(withRoleAndEnv("head", 0, null))).isEmpty();
		assertThat(NodeSpecValidator.validate(withRoleAndEnv("worker", 8,
				Map.of("NCCL_SOCKET_IFNAME", "ens1f0", "NCCL_IB_HCA", "mlx5_0,mlx5_1", "ODD", "a 'b' $(c)"))))
			.isEmpty();
		assertThat(manyVariables(32)).hasSize(32);
		assertThat(NodeSpecValidator.validate(withRoleAndEnv(null, 8, manyVariables(32)))).isEmpty();
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
