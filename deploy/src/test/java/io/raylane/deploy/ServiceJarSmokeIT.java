package io.raylane.deploy;

import io.raylane.deploy.broker.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * {@link ServiceJarSmoke} on an embedded KRaft broker in the test JVM: runs wherever the
 * jars are built.
 */
@Isolated
@Tag("slow")
class ServiceJarSmokeIT extends ServiceJarSmoke {

	private static EmbeddedKafkaBroker broker;

	@BeforeAll
	static void startBroker() {
		broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
	}

	@AfterAll
	static void stopBroker() {
		if (broker != null) {
			broker.close();
		}
	}

	@Override
	String bootstrapServers() {
		return broker.bootstrapServers();
	}

}
