package io.raylane.deploy;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import io.raylane.deploy.logging.ConsoleFilter;
import io.raylane.deploy.logging.QuietStart;

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

	/**
	 * The lines for the person at the terminal ({@link ConsoleFilter}); not the class's
	 * logger, which Spring Boot's start-up messages also use (it is their main class).
	 */
	private static final Logger log = LoggerFactory.getLogger(ConsoleFilter.CONSOLE_LOGGER);

	private AllInOne() {
	}

	public static void main(String[] args) throws Exception {
		LocalStackSettings settings = LocalStackSettings.fromEnvironment(System.getenv());
		Path logFile = QuietStart.begin(settings.dataDir(), System.getenv());
		log.info("Raylane is starting (full log: {})", logFile);
		LocalStack stack = LocalStack.start(settings);
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			stack.close();
			stopped.countDown();
		}, "raylane-shutdown"));
		log.info("Raylane is up");
		log.info("  web console   {}/", stack.apiUrl());
		log.info("  REST API      {}/v1  (OpenAPI: {}/v3/api-docs)", stack.apiUrl(), stack.apiUrl());
		log.info("  CLI           bin/raylane login --url {} --token <a dev token above>", stack.apiUrl());
		log.info("  Kafka         {}", stack.bootstrapServers());
		log.info("  Ray           {} ({})", stack.rayAddress(), stack.rayDescription());
		log.info("  shared root   {}", stack.settings().sharedRoot());
		log.info("  metrics       /actuator/prometheus on {} (ports by service); Ray node metrics on port {}",
				stack.servicePorts(), stack.rayMetricsPort());
		log.info("  full log      {}", logFile);
		// issue 17: give the heap the start-up grew back to the OS, and again when idle
		IdleHeap.trim();
		stopped.await();
	}

}
