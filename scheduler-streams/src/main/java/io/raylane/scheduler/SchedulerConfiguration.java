package io.raylane.scheduler;

import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raylane.scheduler.core.NodeRecovery;
import io.raylane.scheduler.core.SubmitRetryPolicy;
import io.raylane.scheduler.topology.RecordSizeGuard;
import io.raylane.scheduler.topology.SchedulerMetrics;
import io.raylane.scheduler.topology.SchedulerTopology;
import io.raylane.scheduler.topology.SchedulingPolicy;
import io.raylane.support.RaylaneSettings;
import io.raylane.topics.TopicPolicy;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the scheduler: its settings and the {@link SchedulerStreams} lifecycle bean that
 * creates the topics and runs the topology. The clock and the common settings come from
 * service-support.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SchedulerProperties.class)
class SchedulerConfiguration {

	@Bean
	SchedulerStreams schedulerStreams(SchedulerProperties properties, RaylaneSettings common, KafkaProperties kafka,
			Clock clock, @Value("${raylane.max-active-ray-jobs:100}") int maxActiveRayJobs,
			ObjectProvider<MeterRegistry> meters) {
		TopicPolicy topicPolicy = common.kafka().topicPolicy();
		Properties config = streamsConfig(properties, kafka.buildStreamsProperties(), common.data().dir().toString(),
				topicPolicy);
		String usersFile = Objects.toString(common.users().file(), "");
		SchedulingPolicy policy = policy(properties, usersFile, maxActiveRayJobs)
			.withMaxJobTimeout(common.jobs().maxTimeout())
			.withActiveJobCaps(QuotasFile.activeJobCaps(usersFile, common.jobs().maxActivePerUser()));
		MeterRegistry registry = meters.getIfAvailable(SimpleMeterRegistry::new);
		RecordSizeGuard guard = new RecordSizeGuard(maxRequestSize(config));
		SchedulerTopology.Settings settings = new SchedulerTopology.Settings(properties.applicationId(),
				common.shared().root(), properties.planWindow(), clock, properties.poolEnv(), policy,
				new SchedulerMetrics(registry, policy.maxActiveRayJobs()))
			.withReadOnlyRoots(common.shared().readOnlyRoots())
			.withRecordGuard(guard)
			.withPromptCommit(properties.promptCommit() ? properties.commitInterval() : null);
		return new SchedulerStreams(SchedulerTopology.build(settings), config, topicPolicy, properties.closeTimeout(),
				registry, guard, clock);
	}

	@Bean
	SchedulerHealthIndicator schedulerHealthIndicator(SchedulerStreams streams, SchedulerProperties properties,
			Clock clock) {
		return new SchedulerHealthIndicator(streams, properties.healthFailureWindow(), clock);
	}

	/**
	 * The largest request Streams' producer sends ({@code max.request.size}, set for the
	 * producer or for every client); Kafka's default 1 MiB otherwise.
	 */
	static int maxRequestSize(Properties config) {
		Object value = config.getOrDefault(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
				config.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
		return (value != null) ? Integer.parseInt(value.toString().trim()) : RecordSizeGuard.KAFKA_DEFAULT_MAX_BYTES;
	}

	/**
	 * The scheduling policy: timeouts, quotas and the per-user share of the Ray head
	 * (users file + default), the Ray-head cap, the queued-time limit, the submit
	 * retries, the recovery of nodes Ray reports dead.
	 */
	static SchedulingPolicy policy(SchedulerProperties properties, String usersFile, int maxActiveRayJobs) {
		int cap = (properties.maxActiveRayJobs() != null) ? properties.maxActiveRayJobs() : maxActiveRayJobs;
		// issue 12: no user takes more than half the Ray head unless configured otherwise
		int rayShare = (properties.defaultMaxRayJobs() != null) ? properties.defaultMaxRayJobs() : Math.max(1, cap / 2);
		return new SchedulingPolicy(properties.defaultTimeout(), properties.poolTimeouts(),
				QuotasFile.load(usersFile, properties.defaultGpuQuota()), cap, properties.maxQueuedTime(),
				properties.stopGrace(), properties.timeoutCheckInterval(),
				new SubmitRetryPolicy(properties.submitRetryPeriod(), properties.submitRetryBackoff(),
						properties.submitRetryMaxBackoff()),
				null, new NodeRecovery(properties.nodeLostAfter(), properties.nodeReprovisionAttempts(),
						properties.nodeStableAfter()),
				QuotasFile.rayJobCaps(usersFile, rayShare), null);
	}

	/**
	 * The Streams configuration: Spring's {@code spring.kafka.*} connection settings
	 * (bootstrap servers, security), then the scheduler's own, which win.
	 */
	static Properties streamsConfig(SchedulerProperties properties, Map<String, Object> springKafka, String dataDir,
			TopicPolicy topicPolicy) {
		Map<String, Object> config = new HashMap<>(springKafka);
		Object bootstrap = config.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
		if (bootstrap instanceof List<?> servers) {
			config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
					String.join(",", servers.stream().map(String::valueOf).toList()));
		}
		config.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.applicationId());
		config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
		config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, properties.commitInterval().toMillis());
		String stateDir = (properties.stateDir() != null && !properties.stateDir().isBlank()) ? properties.stateDir()
				: Path.of(dataDir, "streams").toString();
		config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
		// the changelogs and repartition topics are as durable as Raylane's own (issue
		// 12):
		// a lost changelog would lose the job table
		config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) topicPolicy.replicationFactor());
		config.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
				String.valueOf(topicPolicy.minInsyncReplicas()));
		// Streams' producers linger 100 ms by default; every decision crosses two of them
		// (the by-pool
		// repartition, then dispatch), which is most of the submit latency on an idle
		// cluster
		config.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
		// under exactly-once a decision is visible only once its transaction commits, and
		// the stream thread
		// commits between polls: a 100 ms poll (the default) on a quiet input holds each
		// commit back that long
		config.putIfAbsent(StreamsConfig.POLL_MS_CONFIG, 10L);
		// issue 17: with transactions v2 (KIP-890) the first produce of the next
		// transaction, sent while the broker still completes the last commit, is answered
		// CONCURRENT_TRANSACTIONS and retried after retry.backoff.ms (100 ms by default):
		// at a short commit interval that wait, not the commit, was the hop's cost
		config.putIfAbsent(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 5L);
		Properties result = new Properties();
		result.putAll(config);
		return result;
	}

}
