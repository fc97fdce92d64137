package io.raylane.scheduler;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Properties;

import io.raylane.scheduler.topology.SchedulerTopology;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Test helper run in its own JVM by {@link CrashRecoveryTest}: the scheduler topology
 * (exactly_once_v2) on a given broker, state directory and commit interval, running until
 * the process is killed.
 */
public final class CrashableScheduler {

	private CrashableScheduler() {
	}

	public static void main(String[] args) throws Exception {
		String bootstrap = args[0];
		Path stateDir = Path.of(args[1]);
		long commitMs = Long.parseLong(args[2]);
		Properties config = new Properties();
		config.put(StreamsConfig.APPLICATION_ID_CONFIG, "raylane-scheduler");
		config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
		config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
		config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
		config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitMs);
		config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
		config.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 6000);
		config.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 1000);
		// a commit interval this long must not be cut short by the transaction timeout
		config.put(StreamsConfig.producerPrefix("transaction.timeout.ms"),
				(int) Math.min(900_000, Math.max(10_000, commitMs * 2)));
		KafkaStreams streams = new KafkaStreams(SchedulerTopology.build(
				new SchedulerTopology.Settings("raylane-scheduler", stateDir.resolve("shared"), 32, Clock.systemUTC())),
				config);
		streams.setStateListener((next, previous) -> System.out.println("STATE " + next));
		streams.start();
		Thread.currentThread().join();
	}

}
