package io.raylane.scheduler;

import java.time.Duration;
import java.util.Properties;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.raylane.topics.TopicCreator;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Owns the scheduler's {@link KafkaStreams}: on start it ensures Raylane's topics exist,
 * then starts the topology (exactly_once_v2); on stop it closes Streams within the
 * configured timeout, so the state stores are checkpointed and the next start resumes
 * from them, and leaves the consumer group so its pools move without waiting for the
 * session timeout. A stream thread that dies is replaced.
 * <p>
 * Streams' client metrics (its consumers' {@code records-lag-max} among them) are bound
 * to the service's {@link MeterRegistry} while it runs: Boot binds only a Spring-managed
 * {@code StreamsBuilderFactoryBean}, and this KafkaStreams is our own.
 */
class SchedulerStreams implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(SchedulerStreams.class);

	private final Topology topology;

	private final Properties config;

	private final short replicationFactor;

	private final Duration closeTimeout;

	private final MeterRegistry meters;

	private volatile KafkaStreams streams;

	private KafkaStreamsMetrics streamsMetrics;

	SchedulerStreams(Topology topology, Properties config, short replicationFactor, Duration closeTimeout,
			MeterRegistry meters) {
		this.topology = topology;
		this.config = config;
		this.replicationFactor = replicationFactor;
		this.closeTimeout = closeTimeout;
		this.meters = meters;
	}

	@Override
	public synchronized void start() {
		if (this.streams != null) {
			return;
		}
		ensureTopics();
		KafkaStreams created = new KafkaStreams(this.topology, this.config);
		created.setUncaughtExceptionHandler((ex) -> {
			log.error("scheduler stream thread died; replacing it", ex);
			return StreamThreadExceptionResponse.REPLACE_THREAD;
		});
		created.setStateListener((next, previous) -> log.info("scheduler streams {} -> {}", previous, next));
		// the stream threads and their consumers exist from the constructor on, so their
		// metrics bind now
		this.streamsMetrics = new KafkaStreamsMetrics(created);
		this.streamsMetrics.bindTo(this.meters);
		created.start();
		this.streams = created;
	}

	@Override
	public synchronized void stop() {
		KafkaStreams running = this.streams;
		this.streams = null;
		// ask to leave the group, so another instance (or this one restarting) can take
		// the pools over before
		// the session timeout. Observed on Kafka 4.1.2 with a dynamic member: the broker
		// still waits for the
		// session timeout (spring.kafka.streams.properties.session.timeout.ms shortens
		// it)
		if (running != null
				&& !running.close(new KafkaStreams.CloseOptions().timeout(this.closeTimeout).leaveGroup(true))) {
			log.warn("scheduler streams did not close within {}", this.closeTimeout);
		}
		if (this.streamsMetrics != null) {
			this.streamsMetrics.close();
			this.streamsMetrics = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.streams != null;
	}

	/** The Streams state, or null when stopped (for health checks and tests). */
	KafkaStreams.State state() {
		KafkaStreams running = this.streams;
		return (running != null) ? running.state() : null;
	}

	private void ensureTopics() {
		String bootstrap = this.config.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
		try {
			TopicCreator.ensureTopics(bootstrap, this.replicationFactor);
			UsageTopic.ensure(bootstrap, this.config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG),
					this.replicationFactor);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while creating topics on " + bootstrap, ex);
		}
		catch (Exception ex) {
			throw new IllegalStateException("could not create Raylane's topics on " + bootstrap, ex);
		}
	}

}
