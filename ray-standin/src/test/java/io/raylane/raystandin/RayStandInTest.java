package io.raylane.raystandin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ray} stand-in script against a real local head: start joins with the flags'
 * resources, stop leaves.
 */
class RayStandInTest {

	@TempDir
	Path dir;

	LocalRayHead head;

	Path ray;

	@BeforeEach
	void start() throws IOException {
		this.head = LocalRayHead
			.start(LocalRayHeadConfig.defaults(this.dir.resolve("head")).withPort(0).withWorkers(0, 0, "default"));
		this.ray = RayStandIn.install(this.dir.resolve("bin"));
	}

	@AfterEach
	void stop() {
		this.head.close();
	}

	record Run(int exit, String out) {
	}

	Run run(String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of(this.ray.toString()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("RAYLANE_RAY_STANDIN_DIR", this.dir.resolve("state").toString());
		Process process = builder.start();
		String out = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return new Run(process.exitValue(), out.trim());
	}

	@Test
	void shouldJoinTheHeadWithTheGivenResourcesAndLeaveOnStop() throws Exception {
		String address = "127.0.0.1:" + this.head.port();

		Run started = run("start", "--address=" + address, "--num-gpus=4", "--resources={\"raylane-pool-a100\": 1000}",
				"--node-ip-address=127.0.0.30", "--labels=zone=b,rack=r1", "--disable-usage-stats");

		assertThat(started.exit()).as(started.out()).isZero();
		assertThat(this.head.aliveWorkers()).hasSize(1);
		String nodes = new RayHttp(this.head.address()).get("/api/v0/nodes?detail=1").body();
		assertThat(nodes).contains("127.0.0.30")
			.contains("raylane-pool-a100")
			.contains("\"zone\"")
			.contains("\"rack\"");

		Run again = run("start", "--address=" + address, "--num-gpus=4", "--node-ip-address=127.0.0.30");
		assertThat(again.exit()).as("a node already alive at that IP").isEqualTo(1);

		Run stopped = run("stop", "--grace-period", "16");
		assertThat(stopped.exit()).isZero();
		assertThat(stopped.out()).isEqualTo("Stopped all 1 Ray processes.");
		assertThat(this.head.aliveWorkers()).isEmpty();
		assertThat(run("stop", "--force").out()).isEqualTo("Did not find any active Ray processes.");
	}

	@Test
	void shouldFailWithoutAnAddressOrWhenTheHeadIsUnreachable() throws Exception {
		assertThat(run("start", "--num-gpus=1").exit()).isEqualTo(1);
		assertThat(run("start", "--address=127.0.0.1:9", "--node-ip-address=127.0.0.31").exit()).isEqualTo(1);
		assertThat(Files.exists(this.dir.resolve("state/127.0.0.31"))).isFalse();
	}

	@Test
	void shouldCheckADrainLikeRayThenRefuseIt() throws Exception {
		Run drain = run("drain-node", "--address=127.0.0.1:9", "--node-id=4f2a9c01",
				"--reason=DRAIN_NODE_REASON_PREEMPTION", "--reason-message=raylane: draining",
				"--deadline-remaining-seconds=60");
		assertThat(drain.exit()).isEqualTo(1);
		assertThat(drain.out())
			.isEqualTo("Error: The drain request is not accepted: the local stand-in head cannot drain node 4f2a9c01");
		assertThat(run("drain-node", "--node-id=4f2a9c01", "--reason=DRAIN_SOON", "--reason-message=m").exit())
			.isEqualTo(2);
		assertThat(run("drain-node", "--node-id=4f2a9c01", "--reason=DRAIN_NODE_REASON_PREEMPTION").exit())
			.isEqualTo(2);
	}

}
