package io.raylane.nodeagent.provision;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.raylane.nodeagent.ssh.CommandLine;
import io.raylane.topics.node.NodeSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command lines the node-agent sends over SSH, exactly as the remote shell receives
 * them: every value single-quoted (ShellQuote through CommandLine), {@code ray start}
 * always with an IP literal and the shared metrics port, {@code ray drain-node} with the
 * node id, Ray's preemption reason and the seconds left until the deadline.
 */
class RayCommandsTest {

	static final RayCommands RAY = new RayCommands(List.of("ray"), "127.10.0.1:6379",
			Map.of("a100", List.of("--disable-usage-stats")), 8090);

	static final RayCommands VENV = new RayCommands(List.of("/opt/ray venv/bin/ray"), "ray-head.internal:6379",
			Map.of(), 9100);

	static NodeSpec spec(String host, String pool, Map<String, String> labels) {
		return new NodeSpec("gpu-1", host, 22, "ray", pool, labels, 8, null);
	}

	static InetAddress ip(String name, int... bytes) throws UnknownHostException {
		byte[] raw = new byte[bytes.length];
		for (int i = 0; i < bytes.length; i++) {
			raw[i] = (byte) bytes[i];
		}
		return InetAddress.getByAddress(name, raw);
	}

	static Stream<Arguments> labels() {
		return Stream.of(
				Arguments.of("none of its own: Raylane's two", Map.of(), null,
						Map.of("raylane.io/node", "gpu-1", "raylane.io/pool", "default")),
				Arguments.of("its own are kept", Map.of("zone", "b"), "a100",
						Map.of("zone", "b", "raylane.io/node", "gpu-1", "raylane.io/pool", "a100")),
				Arguments.of("Raylane's win on a shared key (the validator refuses them anyway)",
						Map.of("raylane.io/node", "other", "raylane.io/pool", "b200"), "a100",
						Map.of("raylane.io/node", "gpu-1", "raylane.io/pool", "a100")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("labels")
	void shouldLabelTheNodeWithItsIdAndPool(String name, Map<String, String> own, String pool,
			Map<String, String> expected) {
		assertThat(RayCommands.labels(spec("127.10.0.7", pool, own))).isEqualTo(expected);
	}

	static Stream<Arguments> commands() throws UnknownHostException {
		return Stream.of(Arguments.of("start: IPv4 host, labels sorted, the pool's extra args",
				RAY.start(spec("127.10.0.7", "a100", Map.of("zone", "b", "rack", "r1")), ip(null, 127, 10, 0, 7)),
				"'ray' 'start' '--address=127.10.0.1:6379' '--num-gpus=8' '--resources={\"raylane-pool-a100\": 1000}' "
						+ "'--node-ip-address=127.10.0.7' '--metrics-export-port=8090' '--labels=rack=r1,raylane.io/node=gpu-1,raylane.io/pool=a100,zone=b' "
						+ "'--disable-usage-stats'"),
				Arguments.of("start: a host name reaches Ray only as the IP it resolved to",
						VENV.start(spec("gpu-07.example", null, Map.of()), ip("gpu-07.example", 192, 0, 2, 17)),
						"'/opt/ray venv/bin/ray' 'start' '--address=ray-head.internal:6379' '--num-gpus=8' "
								+ "'--resources={\"raylane-pool-default\": 1000}' '--node-ip-address=192.0.2.17' "
								+ "'--metrics-export-port=9100' '--labels=raylane.io/node=gpu-1,raylane.io/pool=default'"),
				Arguments.of("start: an IPv6 node",
						VENV.start(spec("gpu-6", "default", Map.of()),
								ip("gpu-6", 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7)),
						"'/opt/ray venv/bin/ray' 'start' '--address=ray-head.internal:6379' '--num-gpus=8' "
								+ "'--resources={\"raylane-pool-default\": 1000}' '--node-ip-address=fd00:0:0:0:0:0:0:7' "
								+ "'--metrics-export-port=9100' '--labels=raylane.io/node=gpu-1,raylane.io/pool=default'"),
				Arguments.of("start: a label value with shell syntax stays one literal argument",
						RAY.start(spec("127.10.0.7", "default", Map.of("k", "$(id);x")), ip(null, 127, 10, 0, 7)),
						"'ray' 'start' '--address=127.10.0.1:6379' '--num-gpus=8' "
								+ "'--resources={\"raylane-pool-default\": 1000}' '--node-ip-address=127.10.0.7' "
								+ "'--metrics-export-port=8090' '--labels=k=$(id);x,raylane.io/node=gpu-1,raylane.io/pool=default'"),
				Arguments.of("drain-node: deadline in 2 minutes",
						RAY.drainNode("4f2a9c01", "raylane: draining node gpu-1", Duration.ofSeconds(120)),
						"'ray' 'drain-node' '--address=127.10.0.1:6379' '--node-id=4f2a9c01' "
								+ "'--reason=DRAIN_NODE_REASON_PREEMPTION' '--reason-message=raylane: draining node gpu-1' "
								+ "'--deadline-remaining-seconds=120'"),
				Arguments.of("drain-node: a part second left rounds up",
						RAY.drainNode("4f2a9c01", "m", Duration.ofMillis(59_001)),
						"'ray' 'drain-node' '--address=127.10.0.1:6379' '--node-id=4f2a9c01' "
								+ "'--reason=DRAIN_NODE_REASON_PREEMPTION' '--reason-message=m' "
								+ "'--deadline-remaining-seconds=60'"),
				Arguments.of("drain-node: a deadline already passed is 0 s",
						RAY.drainNode("4f2a9c01", "m", Duration.ofSeconds(-30)),
						"'ray' 'drain-node' '--address=127.10.0.1:6379' '--node-id=4f2a9c01' "
								+ "'--reason=DRAIN_NODE_REASON_PREEMPTION' '--reason-message=m' "
								+ "'--deadline-remaining-seconds=0'"),
				Arguments.of("drain-node: no deadline, a quote in the message",
						VENV.drainNode("4f2a9c01", "it's admin's call", null),
						"'/opt/ray venv/bin/ray' 'drain-node' '--address=ray-head.internal:6379' '--node-id=4f2a9c01' "
								+ "'--reason=DRAIN_NODE_REASON_PREEMPTION' '--reason-message=it'\\''s admin'\\''s call'"),
				Arguments.of("stop: the grace period in whole seconds", RAY.stop(Duration.ofMillis(16_500)),
						"'ray' 'stop' '--grace-period' '16'"),
				Arguments.of("stop --force", RAY.forceStop(), "'ray' 'stop' '--force'"),
				Arguments.of("start --head: the GCS port of the head address, no work, the pool's extra args",
						RAY.startHead(head("a100"), ip(null, 127, 10, 0, 2)),
						"'ray' 'start' '--head' '--node-ip-address=127.10.0.2' '--port=6379' '--num-cpus=0' "
								+ "'--num-gpus=0' '--include-dashboard=true' '--dashboard-host=127.10.0.2' "
								+ "'--metrics-export-port=8090' '--disable-usage-stats'"),
				Arguments.of("start by role: a head gets --head",
						new RayCommands(List.of("ray"), "10.0.0.2:6380", Map.of(), 8090).startByRole(head("default"),
								ip(null, 10, 0, 0, 2)),
						"'ray' 'start' '--head' '--node-ip-address=10.0.0.2' '--port=6380' '--num-cpus=0' "
								+ "'--num-gpus=0' '--include-dashboard=true' '--dashboard-host=10.0.0.2' "
								+ "'--metrics-export-port=8090'"),
				Arguments.of("start by role: a worker joins", RAY.startByRole(spec("127.10.0.7", "default", Map
					.of()), ip(null, 127, 10, 0, 7)), "'ray' 'start' '--address=127.10.0.1:6379' '--num-gpus=8' "
							+ "'--resources={\"raylane-pool-default\": 1000}' '--node-ip-address=127.10.0.7' "
							+ "'--metrics-export-port=8090' '--labels=raylane.io/node=gpu-1,raylane.io/pool=default'"));
	}

	static NodeSpec head(String pool) {
		return new NodeSpec("head-1", "127.10.0.2", 22, "ray", pool, Map.of(), 0, null, "head", null);
	}

	static Stream<Arguments> withEnv() {
		return Stream.of(
				Arguments.of("no env: the plain command, nothing on stdin", RAY, null, "'ray' 'stop' '--force'", null),
				Arguments.of("env: the wrapper, values on stdin only, sorted, an empty line ends them", RAY,
						Map.of("NCCL_SOCKET_IFNAME", "ens1f0", "ODD", "a 'b' $(id)"),
						"'sh' '-c' 'while IFS= read -r kv && [ -n \"$kv\" ]; do export \"$kv\"; done; exec \"$@\"' "
								+ "'raylane-ray-env' 'ray' 'stop' '--force'",
						"NCCL_SOCKET_IFNAME=ens1f0\nODD=a 'b' $(id)\n\n"),
				Arguments.of("env and token: the env wrapper first, the token's line after the empty one",
						new RayCommands(List.of("ray"), "127.10.0.1:6379", Map.of(), 8090, "tok-1"),
						Map.of("NCCL_IB_HCA", "mlx5_0"),
						"'sh' '-c' 'while IFS= read -r kv && [ -n \"$kv\" ]; do export \"$kv\"; done; exec \"$@\"' "
								+ "'raylane-ray-env' 'sh' '-c' '" + RayCommands.WITH_TOKEN_FROM_STDIN
								+ "' 'raylane-ray-auth' 'ray' 'stop' '--force'",
						"NCCL_IB_HCA=mlx5_0\n\ntok-1\n"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("withEnv")
	void remoteWithEnv(String scenario, RayCommands ray, Map<String, String> env, String wantCommandLine,
			String wantStdin) {
		io.raylane.nodeagent.ssh.RemoteCommand command = ray.remote(ray.forceStop(), env);
		assertThat(command.commandLine()).isEqualTo(wantCommandLine);
		assertThat(command.secretStdin()).isEqualTo(wantStdin);
		if (env != null) {
			env.values().forEach((value) -> assertThat(command.toString()).doesNotContain(value));
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("commands")
	void commandLine(String scenario, List<String> argv, String wantCommandLine) {
		assertThat(CommandLine.of(argv)).isEqualTo(wantCommandLine);
	}

}
