package io.raylane.raycluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.raylane.rayclient.wire.RayNodeState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fixture itself: the shared cluster is up as cluster.env describes it (head and
 * every worker ALIVE at their IPs), commands run inside a worker's own namespaces, the
 * measurements are taken, and every node ran the deployment guide's {@code ray start}
 * (docs/deploy.md) with the fixture's values for its placeholders.
 */
@Tag("slow")
class RealRayClusterTest {

	@Test
	void shouldStartAHeadAndTwoGpuWorkersInNamespacesOfTheirOwn() {
		RealRayCluster ray = RealRayCluster.shared();

		assertThat(ray.workers()).hasSize(2);
		assertThat(ray.nodes()).filteredOn(RayNodeState::alive)
			.extracting(RayNodeState::nodeIp)
			.containsExactlyInAnyOrder(ray.headIp(), ray.worker(1).ip(), ray.worker(2).ip());
		assertThat(ray.aliveNodeId(ray.worker(1).ip())).isPresent();
		RealRayCluster.ExecResult hostname = ray.exec("w1", "hostname");
		assertThat(hostname.exitCode()).isZero();
		assertThat(hostname.output().strip()).isEqualTo(ray.worker(1).hostname());
		assertThat(ray.exec("w1", "ip", "-o", "-4", "addr", "show", "eth0").output()).contains(ray.worker(1).ip());
		assertThat(Files.exists(ray.serviceDiscoveryFile())).isTrue();
		assertThat(ray.startDuration()).isPositive();
		assertThat(ray.startMemory().processes()).isGreaterThan(10);
		assertThat(ray.startMemory().pssBytes()).isGreaterThan(100L << 20);
	}

	@Test
	void shouldStartEveryNodeWithTheDeploymentGuidesCommand() throws IOException {
		RealRayCluster ray = RealRayCluster.shared();
		String store = ray.clusterEnv().getProperty("CLUSTER_OBJECT_STORE_BYTES");

		assertThat(ranOn(ray, "head")).isEqualTo(DeployGuide.command("head", Map.of("<HEAD_IP>", ray.headIp(),
				"<HEAD_OBJECT_STORE_BYTES>", store, "<RAY_TEMP_DIR>", ray.dir().resolve("nodes/head/ray").toString())));
		for (RealRayCluster.Worker worker : ray.workers()) {
			assertThat(ranOn(ray, worker.name())).as(worker.name())
				.isEqualTo(DeployGuide.command("worker",
						Map.of("<HEAD_IP>", ray.headIp(), "<NODE_IP>", worker.ip(), "<GPUS>",
								Integer.toString(worker.gpus()), "<CPUS>",
								ray.clusterEnv().getProperty("CLUSTER_WORKER_CPUS"), "<POOL>", worker.pool(),
								"<NODE_ID>", worker.name(), "<OBJECT_STORE_BYTES>", store, "<RAY_TEMP_DIR>",
								ray.dir().resolve("nodes/" + worker.name() + "/ray").toString())));
		}
	}

	/** {@code ray start} and the arguments node-init.sh gave it on that node. */
	private static List<String> ranOn(RealRayCluster ray, String node) throws IOException {
		Path args = ray.dir().resolve("nodes").resolve(node).resolve("ray-start.args");
		return Stream.concat(Stream.of("ray", "start"), Files.readAllLines(args).stream()).toList();
	}

}
