package io.raylane.deploy;

import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.parallel.Isolated;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link ServiceJarSmoke} on Apache Kafka in a container (Testcontainers; the design's
 * "Testcontainers where Docker exists", issue 16 item 7): the per-service jars against a
 * broker that is not Raylane's own embedded one, as in production. Where no Docker engine
 * answers ({@code DockerClientFactory.isDockerAvailable()}), the class is skipped and
 * says why; with {@code CI=true} and {@code RAYLANE_REQUIRE_DOCKER=true} it fails
 * instead. The image is {@code apache/kafka} at the version of the Kafka clients on the
 * classpath (one version for broker and clients), or {@code -Draylane.kafka.image=...}.
 */
@Isolated
@Tag("slow")
class ServiceJarKafkaContainerIT extends ServiceJarSmoke {

	static final String IMAGE_PROPERTY = "raylane.kafka.image";

	private static KafkaContainer kafka;

	static final String NO_DOCKER = "no Docker engine answers (DOCKER_HOST or /var/run/docker.sock): the Kafka "
			+ "container cannot start; ServiceJarSmokeIT runs the same checks on an embedded broker";

	private static boolean docker;

	@BeforeAll
	static void startKafkaContainer() {
		docker = DockerClientFactory.instance().isDockerAvailable();
		if (!docker) {
			if ("true".equalsIgnoreCase(System.getenv("CI"))
					&& "true".equalsIgnoreCase(System.getenv("RAYLANE_REQUIRE_DOCKER"))) {
				Assertions.fail(NO_DOCKER + " (CI=true, RAYLANE_REQUIRE_DOCKER=true)");
			}
			System.out.println("ServiceJarKafkaContainerIT skipped: " + NO_DOCKER);
			return;
		}
		kafka = new KafkaContainer(image());
		kafka.start();
	}

	/** Each jar's check is reported skipped, with the reason, where Docker is missing. */
	@BeforeEach
	void needDocker() {
		assumeTrue(docker, NO_DOCKER);
	}

	@AfterAll
	static void stopKafkaContainer() {
		if (kafka != null) {
			kafka.stop();
		}
	}

	/** {@code apache/kafka:<kafka-clients version>} unless the property names one. */
	static String image() {
		String image = System.getProperty(IMAGE_PROPERTY);
		return (image != null && !image.isBlank()) ? image : "apache/kafka:" + AppInfoParser.getVersion();
	}

	@Override
	String bootstrapServers() {
		return kafka.getBootstrapServers();
	}

}
