package io.raylane.raycluster.contract;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.raylane.raystandin.LocalRayHead;
import io.raylane.raystandin.LocalRayHeadConfig;
import io.raylane.raystandin.WorkerSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract against the all-in-one's Ray stand-in: a {@link LocalRayHead} on loopback
 * with two simulated workers of 4 GPUs, whose entrypoints run as local processes (hence
 * {@code slow}).
 */
@Tag("slow")
class LocalRayHeadContractTest extends RayContractSuite {

	@TempDir
	static Path state;

	private static LocalRayHead head;

	@BeforeAll
	static void start() {
		head = LocalRayHead.start(LocalRayHeadConfig.defaults(state.resolve("local-ray")).withPort(0));
	}

	@AfterAll
	static void stop() {
		head.close();
	}

	@Override
	protected String dashboardUrl() {
		return head.address();
	}

	@Override
	protected List<String> workerIps() {
		return List.of(LocalRayHead.workerIp(0), LocalRayHead.workerIp(1));
	}

	@Override
	protected int gpusPerWorker() {
		return head.config().gpusPerWorker();
	}

	@Override
	protected boolean runsEntrypoints() {
		return true;
	}

	@Override
	protected Duration patience() {
		return Duration.ofSeconds(30);
	}

	@Override
	protected String metricsUrl(String nodeIp) {
		return "http://" + nodeIp + ":" + head.metricsPort() + "/metrics";
	}

	@Override
	protected Path serviceDiscoveryFile() {
		return head.serviceDiscoveryFile();
	}

	@Override
	protected void killWorker(String ip) {
		head.crash(aliveAt(ip).nodeId());
	}

	@Override
	protected void rejoinWorker(String ip) {
		head.join(WorkerSpec.ofPool(ip, POOL, gpusPerWorker()));
	}

}
