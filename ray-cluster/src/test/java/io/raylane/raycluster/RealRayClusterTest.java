package io.raylane.raycluster;

import java.nio.file.Files;

import io.raylane.rayclient.wire.RayNodeState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fixture itself: the shared cluster is up as cluster.env describes it (head and
 * every worker ALIVE at their IPs), commands run inside a worker's own namespaces, and
 * the measurements are taken.
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

}
