package io.raylane.raycluster.contract;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.raylane.rayclient.wire.RayContract;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.rayclient.wire.RayNodeState;
import io.raylane.raystandin.fixture.FakeRayHeadFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract against the submitter's and observer's scripted fixture head: every Jobs
 * API and State API shape case runs (the fixture answers them from its own code); where
 * Ray would move a job by itself, the suite asks the fixture to ({@link #actAsRay}).
 * Cases about processes, node lifecycle, metrics and service discovery are declared not
 * applicable below, each with its reason.
 */
class FakeRayHeadFixtureContractTest extends RayContractSuite {

	private static final String HEAD_ID = "6a2ef67a018f174adedd43a0e311bb5e8d765db2f7d3573346379798";

	private static final List<String> WORKERS = List.of("127.10.0.11", "127.10.0.12");

	private static FakeRayHeadFixture fixture;

	@BeforeAll
	static void start() {
		fixture = new FakeRayHeadFixture();
		fixture.putNode(new RayNodeState(
				HEAD_ID, "127.10.0.2", true, "ALIVE", null, "127.10.0.2", Map.of("memory", 2.2e10,
						"object_store_memory", 1.048576e8, "node:127.10.0.2", 1.0, "node:__internal_head__", 1.0),
				Map.of("ray.io/node-id", HEAD_ID), 1_796_197_631_661L, null));
		for (int i = 0; i < WORKERS.size(); i++) {
			String ip = WORKERS.get(i);
			fixture.putNode(new RayNodeState(nodeId(ip), ip, false, "ALIVE", null, ip,
					Map.of("CPU", 4.0, "GPU", 4.0, "memory", 2.2e10, "object_store_memory", 1.048576e8, "node:" + ip,
							1.0, POOL_RESOURCE, 1000.0),
					Map.of("ray.io/node-id", nodeId(ip)), 1_796_197_642_350L + i, null));
		}
	}

	@AfterAll
	static void stop() {
		fixture.close();
	}

	private static String nodeId(String ip) {
		return "1f737d14edaeb2a093f915cf5541dd678791fb45faa663a23d0011" + ip.substring(ip.lastIndexOf('.') + 1);
	}

	@Override
	protected String dashboardUrl() {
		return fixture.address();
	}

	@Override
	protected List<String> workerIps() {
		return WORKERS;
	}

	@Override
	protected int gpusPerWorker() {
		return 4;
	}

	@Override
	protected boolean runsEntrypoints() {
		return false;
	}

	@Override
	protected Duration patience() {
		return Duration.ofSeconds(5);
	}

	/**
	 * What Ray does on its own, scripted: the driver starts on the first worker (Ray's
	 * supervisor writes its "Running entrypoint" line first), then ends successfully.
	 */
	@Override
	protected void actAsRay(String id, String status) {
		RayJobDetails job = fixture.jobs()
			.stream()
			.filter((j) -> id.equals(j.submissionId()))
			.findFirst()
			.orElseThrow();
		String ip = WORKERS.get(0);
		if (RayContract.STATUS_RUNNING.equals(status)) {
			fixture.setLogs(id, "Running entrypoint for job " + id + ": " + job.entrypoint() + "\n");
			fixture.finish(id, status, null, "Job is currently running.", nodeId(ip), ip);
		}
		else if (RayContract.STATUS_SUCCEEDED.equals(status)) {
			fixture.finish(id, status, 0, "Job finished successfully.", nodeId(ip), ip);
		}
	}

	@Override
	protected String metricsUrl(String nodeIp) {
		throw new UnsupportedOperationException("the fixture serves no node metrics");
	}

	@Override
	protected Path serviceDiscoveryFile() {
		throw new UnsupportedOperationException("the fixture writes no service-discovery file");
	}

	@Override
	protected void killWorker(String ip) {
		throw new UnsupportedOperationException("the fixture's nodes are what a test puts");
	}

	@Override
	protected void rejoinWorker(String ip) {
		throw new UnsupportedOperationException("the fixture's nodes are what a test puts");
	}

	@Override
	@Test
	void aStoppedPendingJobStillStartsItsEntrypointOnceResourcesFreeThenEndsStopped() {
		Assumptions.abort("not applicable: the fixture schedules nothing and starts no entrypoint; the first half "
				+ "(stop of a PENDING job answers stopped and leaves it PENDING) runs in "
				+ "stopOfAPendingJobAnswersStoppedButTheJobStaysPending");
	}

	@Override
	@Test
	void aWorkerWhoseRayletDiesTurnsDeadFailsItsJobAndRejoinsUnderANewNodeId() {
		Assumptions.abort("not applicable: the fixture has no node lifecycle (no raylet, no health check); its node "
				+ "table is exactly what a test puts with putNode");
	}

	@Override
	@Test
	void everyNodeServesRayMetricsWithTheLabelsRaylaneReads() {
		Assumptions.abort("not applicable: the fixture imitates only the dashboard; no node serves metrics (the "
				+ "observer's scraper tests serve their own expositions)");
	}

	@Override
	@Test
	void gpusHeldByARunningJobShowAsUsedInRayResources() {
		Assumptions.abort("not applicable: the fixture has no nodes that serve metrics and holds no resources");
	}

	@Override
	@Test
	void theServiceDiscoveryFileListsEveryAliveNodesMetricsTarget() {
		Assumptions.abort("not applicable: the fixture writes no Prometheus service-discovery file");
	}

}
