package io.raylane.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.raylane.scheduler.topology.RecordRefusedHandler;
import io.raylane.scheduler.topology.RecordSizeGuard;
import io.raylane.topics.TopicCreator;
import io.raylane.topics.TopicPolicy;
import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsException;
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
 * Issue 12: before Streams starts, each output topic's {@code max.message.bytes} is read
 * from the broker into the {@link RecordSizeGuard} the topology checks records with, and
 * the {@link RecordRefusedHandler} is installed; every thread death and refused send is
 * remembered, so that {@link SchedulerHealthIndicator} says DOWN while the stream thread
 * is failing.
 * <p>
 * Streams' client metrics (its consumers' {@code records-lag-max} among them) are bound
 * to the service's {@link MeterRegistry} while it runs: Boot binds only a Spring-managed
 * {@code StreamsBuilderFactoryBean}, and this KafkaStreams is our own.
 */
class SchedulerStreams implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(SchedulerStreams.class);

	private static final int START_ATTEMPTS = 5;

	private final Topology topology;

	private final Properties config;

	private final TopicPolicy topicPolicy;

	private final Duration closeTimeout;

	private final MeterRegistry meters;

	private final RecordSizeGuard guard;

	private final Clock clock;

	private volatile KafkaStreams streams;

	/** The last stream thread death or refused send, or null. */
	private volatile Failure lastFailure;

	/** How many stream threads died since start. */
	private final AtomicLong threadDeaths = new AtomicLong();

	/**
	 * A failure of the stream thread.
	 *
	 * @param at when
	 * @param reason what broke, without a stack trace
	 */
	record Failure(Instant at, String reason) {
	}

	private KafkaStreamsMetrics streamsMetrics;

	SchedulerStreams(Topology topology, Properties config, TopicPolicy topicPolicy, Duration closeTimeout,
			MeterRegistry meters) {
		this(topology, config, topicPolicy, closeTimeout, meters, RecordSizeGuard.kafkaDefaults(), Clock.systemUTC());
	}

	/**
	 * @param guard the topology's record guard, taught each output topic's limit at start
	 * and shared with the production exception handler
	 */
	SchedulerStreams(Topology topology, Properties config, TopicPolicy topicPolicy, Duration closeTimeout,
			MeterRegistry meters, RecordSizeGuard guard, Clock clock) {
		this.topology = topology;
		this.config = new Properties();
		this.config.putAll(config);
		this.topicPolicy = topicPolicy;
		this.closeTimeout = closeTimeout;
		this.meters = meters;
		this.guard = guard;
		this.clock = clock;
		this.config.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, RecordRefusedHandler.class);
		this.config.put(RecordRefusedHandler.GUARD, guard);
		this.config.put(RecordRefusedHandler.LISTENER, (Runnable) () -> failed("the broker refused a record"));
	}

	@Override
	public synchronized void start() {
		if (this.streams != null) {
			return;
		}
		ensureTopics();
		learnLimits();
		// the global store's thread starts inside start() and fails at once when the
		// broker it asks does not know the new usage topic yet (a cluster of several
		// brokers, at the first start): a few more tries before giving up
		for (int attempt = 1;; attempt++) {
			KafkaStreams created = create();
			try {
				created.start();
				this.streams = created;
				return;
			}
			catch (StreamsException ex) {
				created.close(Duration.ofSeconds(10));
				this.streamsMetrics.close();
				this.streamsMetrics = null;
				if (attempt == START_ATTEMPTS) {
					throw ex;
				}
				log.warn("scheduler streams did not start ({}); trying again", ex.getMessage());
				sleep(Duration.ofSeconds(1));
			}
		}
	}

	private KafkaStreams create() {
		KafkaStreams created = new KafkaStreams(this.topology, this.config);
		created.setUncaughtExceptionHandler((ex) -> {
			log.error("scheduler stream thread died; replacing it", ex);
			this.threadDeaths.incrementAndGet();
			failed("stream thread died: " + DeadLetter.reasonOf(ex));
			return StreamThreadExceptionResponse.REPLACE_THREAD;
		});
		created.setStateListener((next, previous) -> log.info("scheduler streams {} -> {}", previous, next));
		// the stream threads and their consumers exist from the constructor on, so their
		// metrics bind now
		this.streamsMetrics = new KafkaStreamsMetrics(created);
		this.streamsMetrics.bindTo(this.meters);
		return created;
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while starting the scheduler", ex);
		}
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

	/** The last failure of the stream thread, or null when none happened since start. */
	Failure lastFailure() {
		return this.lastFailure;
	}

	/** The guard the topology checks records with (for tests). */
	RecordSizeGuard guard() {
		return this.guard;
	}

	/** How many stream threads died (and were replaced) since start. */
	long threadDeaths() {
		return this.threadDeaths.get();
	}

	private void failed(String reason) {
		this.lastFailure = new Failure(this.clock.instant(), reason);
	}

	/**
	 * Teaches the guard the {@code max.message.bytes} of the topics whose records carry a
	 * JobSpec. A topic whose limit cannot be read keeps the producer's; the handler still
	 * lowers it on the first refusal.
	 */
	private void learnLimits() {
		List<String> topics = List.of(Topics.DISPATCH.name(), Topics.JOB_STATES.name());
		try (Admin admin = Admin.create(adminConfig(this.config))) {
			Map<ConfigResource, Config> configs = admin
				.describeConfigs(topics.stream().map((t) -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList())
				.all()
				.get(30, TimeUnit.SECONDS);
			configs.forEach((resource, config) -> {
				ConfigEntry max = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
				if (max != null && max.value() != null) {
					this.guard.learn(resource.name(), Long.parseLong(max.value()));
					log.info("{} takes records of at most {} bytes", resource.name(), max.value());
				}
			});
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			log.warn("could not read the output topics' max.message.bytes; assuming the producer's: {}",
					DeadLetter.reasonOf(ex));
		}
	}

	private void ensureTopics() {
		String bootstrap = this.config.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
		Map<String, Object> adminConfig = adminConfig(this.config);
		try {
			TopicCreator.ensureTopics(adminConfig, this.topicPolicy);
			UsageTopic.ensure(adminConfig, this.config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG),
					this.topicPolicy);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while creating topics on " + bootstrap, ex);
		}
		catch (Exception ex) {
			throw new IllegalStateException("could not create Raylane's topics on " + bootstrap, ex);
		}
	}

	/**
	 * The Streams configuration's admin-client settings: the connection and, on a secured
	 * cluster, its security (SASL, TLS), without the Streams-only keys an admin client
	 * would warn about.
	 */
	static Map<String, Object> adminConfig(Properties streamsConfig) {
		Map<String, Object> admin = new HashMap<>();
		streamsConfig.forEach((key, value) -> {
			if (AdminClientConfig.configNames().contains(String.valueOf(key))) {
				admin.put(String.valueOf(key), value);
			}
		});
		return admin;
	}

}
