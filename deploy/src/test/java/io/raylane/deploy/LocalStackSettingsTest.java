package io.raylane.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.raylane.deploy.LocalStackSettings.ServicePorts;
import io.raylane.deploy.localray.LocalRayMode;
import io.raylane.raystandin.LocalRayHeadConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The all-in-one's ports and addresses from the environment; free ports everywhere in
 * tests.
 */
class LocalStackSettingsTest {

	@Test
	void shouldUseFixedPortsThatCannotClashByDefault() {
		LocalStackSettings settings = LocalStackSettings.fromEnvironment(Map.of());

		assertThat(settings.apiPort()).isEqualTo(8080);
		assertThat(settings.servicePorts()).isEqualTo(new ServicePorts(9201, 9202, 9203, 9204));
		assertThat(settings.servicesAddress()).isEqualTo("127.0.0.1");
		assertThat(settings.rayMetricsPort()).isEqualTo(9250);
		assertThat(LocalRayHeadConfig.fromEnvironment(Map.of()).metricsPort()).isEqualTo(9250);
	}

	@Test
	void shouldReadEveryPortAndTheServicesAddressFromTheEnvironment() {
		LocalStackSettings settings = LocalStackSettings.fromEnvironment(Map.of("RAYLANE_SCHEDULER_PORT", "1",
				"RAYLANE_SUBMITTER_PORT", "2", "RAYLANE_OBSERVER_PORT", "3", "RAYLANE_NODE_AGENT_PORT", "4",
				"RAYLANE_SERVICES_ADDRESS", "0.0.0.0", "RAYLANE_RAY_METRICS_PORT", "5"));

		assertThat(settings.servicePorts()).isEqualTo(new ServicePorts(1, 2, 3, 4));
		assertThat(settings.servicesAddress()).isEqualTo("0.0.0.0");
		assertThat(settings.rayMetricsPort()).isEqualTo(5);
		assertThatThrownBy(() -> LocalStackSettings.fromEnvironment(Map.of("RAYLANE_OBSERVER_PORT", "x")))
			.hasMessageContaining("RAYLANE_OBSERVER_PORT");
	}

	/**
	 * Issue 12: jobs must not run as the launcher's user where another one is possible.
	 */
	@Test
	void shouldRunJobsAsNobodyByDefaultOnlyWhereTheLauncherMaySwitchUsers() {
		assertThat(LocalStackSettings.fromEnvironment(Map.of(), true).jobUser()).contains("nobody");
		assertThat(LocalStackSettings.fromEnvironment(Map.of(), false).jobUser()).isEmpty();
		assertThat(LocalStackSettings.fromEnvironment(Map.of("RAYLANE_LOCAL_JOB_USER", "raylane-jobs"), true).jobUser())
			.contains("raylane-jobs");
		assertThat(LocalStackSettings.fromEnvironment(Map.of("RAYLANE_LOCAL_JOB_USER", "none"), true).jobUser())
			.isEmpty();
		// asked for explicitly where it cannot work: kept, so that the stack refuses to
		// start
		assertThat(LocalStackSettings.fromEnvironment(Map.of("RAYLANE_LOCAL_JOB_USER", "nobody"), false).jobUser())
			.contains("nobody");
		assertThat(LocalStackSettings.forTest(Path.of("/tmp/x")).jobUser()).isEmpty();
	}

	@Test
	void shouldPickFreePortsEverywhereForTests() {
		LocalStackSettings settings = LocalStackSettings.forTest(Path.of("/tmp/x"));

		assertThat(settings.servicePorts()).isEqualTo(ServicePorts.FREE);
		assertThat(settings.rayMetricsPort()).isZero();
		assertThat(settings.apiPort()).isZero();
		assertThat(settings.withApiPort(7).rayMetricsPort()).isZero();
		assertThat(settings.withRayMetricsPort(8090).withApiPort(7).rayMetricsPort()).isEqualTo(8090);
	}

	@Test
	void shouldBindTheApiToEveryAddressUnlessToldOtherwiseAndToLoopbackInTests() {
		assertThat(LocalStackSettings.fromEnvironment(Map.of()).apiAddress()).isEmpty();
		assertThat(LocalStackSettings.fromEnvironment(Map.of("SERVER_ADDRESS", "127.0.0.5")).apiAddress())
			.contains("127.0.0.5");
		// a Tomcat bound to every address connects to a non-loopback address on close
		// (LoopbackOnly refuses it)
		LocalStackSettings test = LocalStackSettings.forTest(Path.of("/tmp/x"));
		assertThat(test.apiAddress()).contains("127.0.0.1");
		assertThat(test.withRayAddress("http://127.0.0.9:8265")
			.withRayAuthToken("t")
			.withRayMetricsPort(8090)
			.withApiPort(7)
			.withLocalRay(LocalRayMode.STANDIN)
			.withKafkaBootstrap("127.0.0.1:9093")
			.withJobUser("nobody")
			.apiAddress()).contains("127.0.0.1");
		assertThat(test.withJobUser("nobody").withKafkaBootstrap("127.0.0.1:9093").jobUser()).contains("nobody");
		assertThat(new LocalStackSettings(0, 0, Optional.empty(), Optional.empty(), 0, 0, 4, Path.of("/tmp/s"),
				Path.of("/tmp/d"), Optional.empty())
			.apiAddress()).contains("127.0.0.1");
	}

	@Test
	void shouldReadTheRayTokenOrItsFileAndNeverPrintIt(@TempDir Path dir) throws Exception {
		Path file = Files.writeString(dir.resolve("ray_token"), "from-file-token\n");

		LocalStackSettings direct = LocalStackSettings
			.fromEnvironment(Map.of("RAYLANE_RAY_AUTH_TOKEN", "direct-token"));
		LocalStackSettings fromFile = LocalStackSettings
			.fromEnvironment(Map.of("RAYLANE_RAY_AUTH_TOKEN_FILE", file.toString()));

		assertThat(direct.rayAuthToken()).contains("direct-token");
		assertThat(fromFile.rayAuthToken()).contains("from-file-token");
		assertThat(LocalStackSettings.fromEnvironment(Map.of()).rayAuthToken()).isEmpty();
		assertThat(direct.toString()).doesNotContain("direct-token").contains("rayAuthToken=***");
		assertThat(LocalStackSettings.forTest(dir).withRayAuthToken("t").withApiPort(1).rayAuthToken()).contains("t");
	}

	@Test
	void shouldChooseTheLocalRayAutomaticallyUnlessToldButGiveTestsTheStandIn() {
		assertThat(LocalStackSettings.fromEnvironment(Map.of()).localRay()).isEqualTo(LocalRayMode.AUTO);
		assertThat(LocalStackSettings.fromEnvironment(Map.of("RAYLANE_LOCAL_RAY", "real")).localRay())
			.isEqualTo(LocalRayMode.REAL);
		assertThatThrownBy(() -> LocalStackSettings.fromEnvironment(Map.of("RAYLANE_LOCAL_RAY", "yes")))
			.hasMessageContaining("RAYLANE_LOCAL_RAY must be auto, real or standin");
		LocalStackSettings test = LocalStackSettings.forTest(Path.of("/tmp/x"));
		assertThat(test.localRay()).isEqualTo(LocalRayMode.STANDIN);
		assertThat(test.withLocalRay(LocalRayMode.REAL).withApiPort(1).withRayAuthToken("t").localRay())
			.isEqualTo(LocalRayMode.REAL);
	}

}
