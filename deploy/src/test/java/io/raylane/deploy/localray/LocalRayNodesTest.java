package io.raylane.deploy.localray;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The real local Ray's {@code ray start} commands and environments. */
class LocalRayNodesTest {

	private static final LocalRayNodes NODES = new LocalRayNodes(Path.of("/opt/ray/bin/ray"), Path.of("/tmp/d/ray"), 2,
			4, "default", new LocalRayNodes.Ports(8265, 41000, 41001, 41002, 41003, List.of(9250, 41010, 41011),
					List.of(41020, 41021, 41022)));

	@Test
	void shouldStartTheHeadAsProductionDoesButOnLoopbackWithItsOwnPorts() {
		assertThat(NODES.command("head")).containsExactly("/opt/ray/bin/ray", "start", "--block", "--head",
				"--node-ip-address=127.0.0.10", "--port=41000", "--num-cpus=0", "--num-gpus=0",
				"--include-dashboard=true", "--dashboard-host=127.0.0.10", "--dashboard-port=8265",
				"--ray-client-server-port=41001", "--metrics-export-port=9250", "--dashboard-agent-listen-port=41020",
				"--object-store-memory=104857600", "--temp-dir=/tmp/d/ray/head", "--disable-usage-stats");
		assertThat(NODES.dashboardUrl()).isEqualTo("http://127.0.0.10:8265");
		assertThat(NODES.gcsAddress()).isEqualTo("127.0.0.10:41000");
	}

	@Test
	void shouldStartEachWorkerWithLogicalGpusThePoolAndPortsOfItsOwn() {
		assertThat(NODES.names()).containsExactly("head", "w1", "w2");
		assertThat(NODES.command("w2")).containsExactly("/opt/ray/bin/ray", "start", "--block",
				"--address=127.0.0.10:41000", "--node-ip-address=127.0.0.12", "--num-gpus=4", "--num-cpus=4",
				"--resources={\"raylane-pool-default\": 1000}", "--metrics-export-port=41011",
				"--dashboard-agent-listen-port=41022", "--object-store-memory=104857600", "--temp-dir=/tmp/d/ray/w2",
				"--disable-usage-stats");
	}

	@Test
	void shouldGiveEveryNodeAnEnvironmentWithoutStrayRaySettingsOrGpuMasks() {
		Map<String, String> inherited = Map.of("PATH", "/usr/bin", "HOME", "/root", "CUDA_VISIBLE_DEVICES", "0",
				"RAY_ADDRESS", "127.0.9.9:6379", "RAY_AUTH_TOKEN_PATH", "/x");

		Map<String, String> worker = NODES.environment("w1", inherited, null);
		Map<String, String> head = NODES.environment("head", inherited, "s3cret");

		assertThat(worker).containsEntry("PATH", "/opt/ray/bin:/usr/bin")
			.containsEntry("HOME", "/root")
			.containsEntry("RAY_USAGE_STATS_ENABLED", "0")
			.containsEntry("RAY_AUTH_MODE", "disabled")
			.containsEntry("RAY_GRACEFUL_SHUTDOWN_DRAIN_TIMEOUT_S", "0")
			.doesNotContainKeys("CUDA_VISIBLE_DEVICES", "RAY_ADDRESS", "RAY_AUTH_TOKEN_PATH", "AUTOSCALER_METRIC_PORT");
		assertThat(head).containsEntry("RAY_AUTH_MODE", "token")
			.containsEntry("RAY_AUTH_TOKEN", "s3cret")
			.containsEntry("AUTOSCALER_METRIC_PORT", "41002")
			.containsEntry("DASHBOARD_METRIC_PORT", "41003");
	}

	@Test
	void shouldKeepRaysFilesWhereItsSocketPathsFit() {
		assertThat(LocalRayNodes.dirFor(Path.of("/tmp/junit123/data"))).isEqualTo(Path.of("/tmp/junit123/data/ray"));
		Path deep = Path.of("/home/someone/projects/raylane/.raylane/data");
		Path fallback = LocalRayNodes.dirFor(deep);
		assertThat(fallback.toString()).matches("/tmp/raylane-ray-[0-9a-f]{8}");
		assertThat(LocalRayNodes.dirFor(deep)).as("the same data dir, the same place").isEqualTo(fallback);
		// the longest socket: <dir>/head/session_<date>_<time>_<micros>_<7-digit
		// pid>/sockets/plasma_store
		String socket = "x".repeat(LocalRayNodes.MAX_DIR_LENGTH)
				+ "/head/session_2026-12-02_12-53-05_749385_1234567/sockets/plasma_store";
		assertThat(socket.length()).isLessThanOrEqualTo(107);
	}

}
