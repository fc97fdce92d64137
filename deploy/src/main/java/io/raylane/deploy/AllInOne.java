package io.raylane.deploy;

import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar deploy/target/raylane.jar}: the whole platform in one JVM for trying
 * Raylane and for tests. An embedded KRaft broker (unless RAYLANE_KAFKA_BOOTSTRAP names a
 * cluster), every service, and a local Ray unless RAYLANE_RAY_ADDRESS names one: a real
 * Ray head and workers when Ray 2.60 is on PATH, else the Java stand-in
 * (RAYLANE_LOCAL_RAY). The shutdown hook stops all of it, the local Ray's processes
 * included. Production runs one process per service against a Kafka cluster and a real
 * Ray head instead (docs/deploy.md).
 */
public final class AllInOne {

	private static final Logger log = LoggerFactory.getLogger(AllInOne.class);

	private AllInOne() {
	}

	public static void main(String[] args) throws Exception {
		LocalStackSettings settings = LocalStackSettings.fromEnvironment(System.getenv());
		LocalStack stack = LocalStack.start(settings);
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			stack.close();
			stopped.countDown();
		}, "raylane-shutdown"));
		log.info("Raylane is up: API {}  Kafka {}  Ray {} ({})  shared root {}", stack.apiUrl(),
				stack.bootstrapServers(), stack.rayAddress(), stack.rayDescription(), settings.sharedRoot());
		log.info("/actuator/prometheus on {} (ports by service), Ray node metrics on port {}", stack.servicePorts(),
				stack.rayMetricsPort());
		stopped.await();
	}

}
