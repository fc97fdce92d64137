package io.raylane.deploy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 17: the internal services start at the same time; one that cannot start still
 * fails the whole start with its own error, and what did start (the broker, the local
 * head, the other services, the data directory's lock) is closed.
 */
@Tag("slow")
class LocalStackStartFailureTest {

	@TempDir
	Path root;

	@Test
	void aServiceThatCannotStartFailsTheStartAndWhatStartedIsClosed() throws Exception {
		LocalStackSettings free = LocalStackSettings.forTest(this.root);
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			LocalStackSettings observerPortTaken = withServicePorts(free,
					new LocalStackSettings.ServicePorts(0, 0, taken.getLocalPort(), 0));
			assertThatThrownBy(() -> LocalStack.start(observerPortTaken))
				.hasStackTraceContaining(String.valueOf(taken.getLocalPort()));
		}
		// the same data directory: its lock, the broker's log and the local head's state
		// were let go
		try (LocalStack again = LocalStack.start(free)) {
			assertThat(again.servicePorts()).containsOnlyKeys(LocalStack.SERVICES);
		}
	}

	private static LocalStackSettings withServicePorts(LocalStackSettings s, LocalStackSettings.ServicePorts ports) {
		return new LocalStackSettings(s.apiPort(), s.kafkaPort(), s.kafkaBootstrap(), s.rayAddress(), s.localRayPort(),
				s.localWorkers(), s.localWorkerGpus(), s.sharedRoot(), s.dataDir(), s.usersFile(), ports,
				s.servicesAddress(), s.rayMetricsPort(), s.rayAuthToken(), s.localRay(), s.jobUser(), s.apiAddress());
	}

}
