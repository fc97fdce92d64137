package io.raylane.observer.lost;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.raylane.observer.attribution.DispatchedJobs;
import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.job.JobView;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jobs Raylane holds on Ray ({@link HeldJob}), followed from the compacted
 * {@code raylane.job-states} (every partition assigned by hand, no group, from the
 * beginning, {@code read_committed}). Read on the poll thread, up to the end offsets of
 * the moment ({@link #readToEnd}), so a poll judges Ray's answer against everything the
 * scheduler had committed before it asked Ray. The same snapshots keep
 * {@link DispatchedJobs}, the jobs whose Ray job may speak for them (issue 12).
 * Unreadable snapshots are skipped (the API's reader dead-letters them).
 */
public final class HeldJobs implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(HeldJobs.class);

	private final Supplier<Consumer<String, byte[]>> factory;

	private final DispatchedJobs dispatched;

	private final Clock clock;

	private final Map<String, HeldJob> held = new HashMap<>();

	private Consumer<String, byte[]> consumer;

	private List<TopicPartition> partitions;

	/**
	 * @param factory a consumer configured by {@link #consumerConfig}
	 */
	public HeldJobs(Supplier<Consumer<String, byte[]>> factory) {
		this(factory, null, Clock.systemUTC());
	}

	/**
	 * @param factory a consumer configured by {@link #consumerConfig}
	 * @param dispatched also kept from the same snapshots: the jobs Raylane dispatched
	 * (issue 12), or null
	 */
	public HeldJobs(Supplier<Consumer<String, byte[]>> factory, DispatchedJobs dispatched, Clock clock) {
		this.factory = factory;
		this.dispatched = dispatched;
		this.clock = clock;
	}

	/**
	 * A consumer of the given base settings (Spring's KafkaProperties): no group,
	 * read_committed.
	 */
	public static Supplier<Consumer<String, byte[]>> consumers(Map<String, Object> base) {
		Map<String, Object> config = consumerConfig(base);
		return () -> new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
	}

	static Map<String, Object> consumerConfig(Map<String, Object> base) {
		Map<String, Object> config = new HashMap<>(base);
		config.remove(ConsumerConfig.GROUP_ID_CONFIG);
		config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		config.put(ConsumerConfig.CLIENT_ID_CONFIG, "raylane-observer-held-jobs");
		return config;
	}

	/**
	 * Reads {@code raylane.job-states} up to its end offsets as of now.
	 * @return whether the end was reached within {@code timeout}: only then does
	 * {@link #jobs()} hold everything committed before this call. A failure (broker away)
	 * is logged; the next call starts again from the beginning.
	 */
	public synchronized boolean readToEnd(Duration timeout) {
		try {
			if (this.consumer == null) {
				open(timeout);
			}
			Map<TopicPartition, Long> end = this.consumer.endOffsets(this.partitions, timeout);
			long deadline = System.nanoTime() + timeout.toNanos();
			while (!reached(end)) {
				if (System.nanoTime() > deadline) {
					return false;
				}
				for (ConsumerRecord<String, byte[]> record : this.consumer.poll(Duration.ofMillis(100))) {
					apply(record);
				}
			}
			if (this.dispatched != null) {
				this.dispatched.forgetEnded(this.clock.instant());
			}
			return true;
		}
		catch (WakeupException | InterruptException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			log.warn("cannot read {}; lost jobs are not judged until it can: {}", Topics.JOB_STATES.name(),
					DeadLetter.reasonOf(ex));
			close();
			return false;
		}
	}

	/** The jobs Raylane holds on Ray, as far as this reader got. */
	public synchronized List<HeldJob> jobs() {
		return List.copyOf(this.held.values());
	}

	/** One snapshot (or tombstone) into the view. */
	void apply(ConsumerRecord<String, byte[]> record) {
		if (record.value() == null) {
			if (record.key() != null) {
				this.held.remove(record.key());
				if (this.dispatched != null) {
					this.dispatched.remove(record.key());
				}
			}
			return;
		}
		JobView view;
		try {
			view = Topics.JOB_STATES.valueSerde().deserializer().deserialize(record.topic(), record.value());
		}
		catch (SerializationException ex) {
			log.warn("skipping unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
					ex.getMessage());
			return;
		}
		if (view == null || view.jobId() == null || view.status() == null) {
			return;
		}
		if (this.dispatched != null) {
			this.dispatched.apply(view, this.clock.instant());
		}
		HeldJob job = HeldJob.of(view);
		if (job != null) {
			this.held.put(job.jobId(), job);
		}
		else {
			this.held.remove(view.jobId());
		}
	}

	private void open(Duration timeout) {
		Consumer<String, byte[]> c = this.factory.get();
		try {
			List<TopicPartition> all = c.partitionsFor(Topics.JOB_STATES.name(), timeout)
				.stream()
				.map((p) -> new TopicPartition(p.topic(), p.partition()))
				.toList();
			if (all.isEmpty()) {
				throw new IllegalStateException(Topics.JOB_STATES.name() + " has no partitions yet");
			}
			c.assign(all);
			c.seekToBeginning(all);
			this.held.clear();
			this.partitions = all;
			this.consumer = c;
		}
		catch (RuntimeException ex) {
			c.close(Duration.ofSeconds(1));
			throw ex;
		}
	}

	private boolean reached(Map<TopicPartition, Long> end) {
		return end.entrySet().stream().allMatch((e) -> this.consumer.position(e.getKey()) >= e.getValue());
	}

	@Override
	public synchronized void close() {
		if (this.consumer != null) {
			try {
				this.consumer.close(Duration.ofSeconds(5));
			}
			catch (RuntimeException ex) {
				log.debug("closing the job-states reader: {}", ex.toString());
			}
			this.consumer = null;
			this.partitions = null;
		}
	}

}
