package io.raylane.raycluster.contract;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.raylane.raycluster.RealRayCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The contract against the real thing: the head and workers of the JVM's shared
 * {@link RealRayCluster} (Ray 2.60.0 in network namespaces). Skipped with the reason
 * where no real cluster can run, failed instead when CI requires it. Prints the suite's
 * wall time.
 */
@Tag("slow")
class RealRayHeadContractTest extends RayContractSuite {

	private static RealRayCluster cluster;

	private static long suiteStart;

	@BeforeAll
	static void cluster() {
		suiteStart = System.nanoTime();
		cluster = RealRayCluster.shared();
	}

	@AfterAll
	static void report() {
		if (cluster != null) {
			System.out.println("RealRayHeadContractTest: suite wall time "
					+ Duration.ofNanos(System.nanoTime() - suiteStart).toMillis() + " ms (cluster start "
					+ cluster.startDuration().toMillis() + " ms of it if this class started it); cluster memory now "
					+ cluster.memory());
		}
	}

	@Override
	protected String dashboardUrl() {
		return cluster.dashboardUrl();
	}

	@Override
	protected List<String> workerIps() {
		return cluster.workers().stream().map(RealRayCluster.Worker::ip).toList();
	}

	@Override
	protected int gpusPerWorker() {
		return cluster.settings().gpusPerWorker();
	}

	@Override
	protected boolean runsEntrypoints() {
		return true;
	}

	@Override
	protected Duration patience() {
		// a killed raylet is declared DEAD after ~14 s; a 2-core machine under a build is
		// slower
		return Duration.ofSeconds(90);
	}

	@Override
	protected String metricsUrl(String nodeIp) {
		return "http://" + nodeIp + ":" + cluster.metricsPort() + "/metrics";
	}

	@Override
	protected Path serviceDiscoveryFile() {
		return cluster.serviceDiscoveryFile();
	}

	@Override
	protected void killWorker(String ip) {
		cluster.killRaylet(worker(ip).name());
	}

	@Override
	protected void rejoinWorker(String ip) {
		cluster.restartNode(worker(ip).name());
	}

	private static RealRayCluster.Worker worker(String ip) {
		return cluster.workers().stream().filter((w) -> w.ip().equals(ip)).findFirst().orElseThrow();
	}

}
