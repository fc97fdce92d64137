package io.raylane.scheduler;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The scheduler's settings ({@code raylane.scheduler.*}). The common Raylane properties
 * ({@code raylane.shared.root}, {@code raylane.data.dir}, {@code raylane.kafka.replication-factor}) are read
 * beside it.
 *
 * @param applicationId the Kafka Streams application id; names the consumer group and internal topics
 * @param commitInterval Streams' commit interval; under exactly-once output is visible only after a commit,
 * so this bounds how long a decision takes to reach the submitter
 * @param stateDir the Streams state directory; {@code <raylane.data.dir>/streams} when unset
 * @param planWindow how many queued jobs one planning cycle looks at (bounds the work per event)
 * @param closeTimeout how long stopping waits for Streams to close cleanly
 * @param poolEnv per pool name, default environment variables of its jobs (e.g. NCCL_IB_HCA); a job's own
 * {@code env} wins
 */
@ConfigurationProperties("raylane.scheduler")
public record SchedulerProperties(@DefaultValue("raylane-scheduler") String applicationId,
		@DefaultValue("50ms") Duration commitInterval, String stateDir, @DefaultValue("32") int planWindow,
		@DefaultValue("30s") Duration closeTimeout, java.util.Map<String, java.util.Map<String, String>> poolEnv) {
}
