package io.raylane.raystandin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.raylane.rayclient.wire.RayJobDetails;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A head whose whole JVM dies with SIGKILL: the next head adopts the orphaned driver and
 * records its end.
 */
@Tag("slow")
class LocalRayHeadKillTest {

	@TempDir
	Path dir;

	@Test
	void shouldAdoptAnOrphanedDriverAfterTheHeadJvmWasKilled() throws Exception {
		Path stateDir = this.dir.resolve("local-ray");
		Path out = this.dir.resolve("head.out");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process headJvm = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
				HeadProcessMain.class.getName(), stateDir.toString())
			.redirectErrorStream(true)
			.redirectOutput(out.toFile())
			.start();
		try {
			String address = await().atMost(Duration.ofSeconds(30)).until(() -> addressIn(out), (a) -> a != null);
			RayHttp ray = new RayHttp(address);
			String id = ray.submit("echo started; sleep 3; exit 3", Map.of("raylane-pool-default", 1.0));
			RayJobDetails running = ray.awaitStatus(id, "RUNNING");

			headJvm.destroyForcibly();
			assertThat(headJvm.waitFor(10, TimeUnit.SECONDS)).isTrue();

			try (LocalRayHead next = LocalRayHead.start(LocalRayHeadConfig.defaults(stateDir).withPort(0))) {
				RayHttp again = new RayHttp(next.address());
				RayJobDetails ended = again.awaitStatus(id, "FAILED", "SUCCEEDED", "STOPPED");
				assertThat(ended.status()).isEqualTo("FAILED");
				assertThat(ended.driverExitCode()).isEqualTo(3);
				assertThat(ended.driverAgentHttpAddress()).isEqualTo(running.driverAgentHttpAddress());
				assertThat(again.logs(id)).contains("started");
			}
		}
		finally {
			headJvm.destroyForcibly();
		}
	}

	private static String addressIn(Path out) throws IOException {
		if (!Files.exists(out)) {
			return null;
		}
		return Files.readAllLines(out)
			.stream()
			.filter((line) -> line.startsWith("ADDRESS "))
			.map((line) -> line.substring("ADDRESS ".length()).trim())
			.findFirst()
			.orElse(null);
	}

}
