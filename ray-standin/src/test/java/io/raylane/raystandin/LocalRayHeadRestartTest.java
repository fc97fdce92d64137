package io.raylane.raystandin;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.raylane.rayclient.wire.RayJobDetails;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The head's job table survives the head: a new head on the same state directory knows
 * and finishes every job.
 */
@Tag("slow")
class LocalRayHeadRestartTest {

	static final Map<String, Double> POOL = Map.of("raylane-pool-default", 1.0);

	@TempDir
	Path stateDir;

	@Test
	void shouldAdoptARunningDriverAfterACrashAndRecordItsExitCode() {
		LocalRayHeadConfig crashing = LocalRayHeadConfig.defaults(this.stateDir)
			.withPort(0)
			.withKillDriversOnClose(false);
		LocalRayHead first = LocalRayHead.start(crashing);
		RayHttp ray = new RayHttp(first.address());
		String id = ray.submit("echo started; sleep 2; exit 3", POOL);
		RayJobDetails running = ray.awaitStatus(id, "RUNNING");
		List<String> workers = first.aliveWorkers();
		first.close();

		try (LocalRayHead second = LocalRayHead.start(crashing.withKillDriversOnClose(true))) {
			RayHttp again = new RayHttp(second.address());
			assertThat(second.aliveWorkers()).isEqualTo(workers);
			assertThat(again.job(id).submissionId()).isEqualTo(id);

			RayJobDetails failed = again.awaitStatus(id, "FAILED", "SUCCEEDED", "STOPPED");

			assertThat(failed.status()).isEqualTo("FAILED");
			assertThat(failed.driverExitCode()).isEqualTo(3);
			assertThat(failed.errorType()).isEqualTo("JOB_ENTRYPOINT_COMMAND_ERROR");
			assertThat(failed.message()).contains("exit code 3").contains("started");
			assertThat(failed.driverNodeId()).isEqualTo(running.driverNodeId());
			assertThat(failed.driverAgentHttpAddress()).isEqualTo(running.driverAgentHttpAddress());
		}
	}

	@Test
	void shouldStopAnAdoptedDriverByItsProcessGroup() {
		LocalRayHeadConfig crashing = LocalRayHeadConfig.defaults(this.stateDir)
			.withPort(0)
			.withKillDriversOnClose(false);
		LocalRayHead first = LocalRayHead.start(crashing);
		String id = new RayHttp(first.address()).submit("sleep 600", POOL);
		RayJobDetails running = new RayHttp(first.address()).awaitStatus(id, "RUNNING");
		List<ProcessHandle> tree = await().until(() -> RayHttp.processTree(first, id), (t) -> t.size() >= 2);
		first.close();

		try (LocalRayHead second = LocalRayHead.start(crashing.withKillDriversOnClose(true))) {
			RayHttp ray = new RayHttp(second.address());
			assertThat(ray.job(id).status()).isEqualTo("RUNNING");

			assertThat(RayHttp.json(ray.post("/api/jobs/" + id + "/stop", "")).get("stopped").asBoolean()).isTrue();

			assertThat(ray.awaitStatus(id, "STOPPED", "FAILED").status()).isEqualTo("STOPPED");
			assertThat(tree).noneMatch(RayHttp::running);
		}
	}

	@Test
	void shouldFailADriverThatDiedWhileTheHeadWasDown() {
		LocalRayHeadConfig crashing = LocalRayHeadConfig.defaults(this.stateDir)
			.withPort(0)
			.withKillDriversOnClose(false);
		LocalRayHead first = LocalRayHead.start(crashing);
		String id = new RayHttp(first.address()).submit("sleep 600", POOL);
		RayJobDetails running = new RayHttp(first.address()).awaitStatus(id, "RUNNING");
		long pgid = first.driverPid(id).orElseThrow();
		first.close();
		DriverProcesses.signalGroup(pgid, "KILL");
		await().until(() -> !DriverProcesses.groupAlive(pgid));

		try (LocalRayHead second = LocalRayHead.start(crashing)) {
			RayJobDetails lost = new RayHttp(second.address()).awaitStatus(id, "FAILED", "SUCCEEDED", "STOPPED");

			assertThat(lost.status()).isEqualTo("FAILED");
			assertThat(lost.message()).isEqualTo("Job driver was lost when the head restarted.");
			assertThat(lost.driverExitCode()).isNull();
		}
	}

	@Test
	void shouldPlaceAPendingJobAgainAfterARestart() {
		LocalRayHeadConfig noWorkers = LocalRayHeadConfig.defaults(this.stateDir)
			.withPort(0)
			.withWorkers(0, 4, "default");
		LocalRayHead first = LocalRayHead.start(noWorkers);
		String id = new RayHttp(first.address()).submit("echo finally", POOL);
		assertThat(new RayHttp(first.address()).job(id).status()).isEqualTo("PENDING");
		first.close();

		try (LocalRayHead second = LocalRayHead.start(noWorkers.withWorkers(2, 4, "default"))) {
			RayHttp ray = new RayHttp(second.address());
			assertThat(ray.awaitStatus(id, "SUCCEEDED", "FAILED").status()).isEqualTo("SUCCEEDED");
			assertThat(ray.logs(id)).contains("finally");
		}
	}

	@Test
	void shouldKillRunningDriversOnACleanClose() {
		LocalRayHead head = LocalRayHead.start(LocalRayHeadConfig.defaults(this.stateDir).withPort(0));
		RayHttp ray = new RayHttp(head.address());
		String id = ray.submit("sleep 600", POOL);
		RayJobDetails running = ray.awaitStatus(id, "RUNNING");
		List<ProcessHandle> tree = await().until(() -> RayHttp.processTree(head, id), (t) -> t.size() >= 2);

		head.close();

		assertThat(tree).noneMatch(RayHttp::running);
		try (LocalRayHead next = LocalRayHead.start(LocalRayHeadConfig.defaults(this.stateDir).withPort(0))) {
			RayJobDetails after = new RayHttp(next.address()).job(id);
			assertThat(after.status()).isEqualTo("FAILED");
			assertThat(after.errorType()).isEqualTo("JOB_SUPERVISOR_ACTOR_DIED");
		}
	}

}
