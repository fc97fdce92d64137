package io.raylane.observer.attribution;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.job.JobView;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link DispatchedJobs} equal to the compacted {@code raylane.job-states}: a plain
 * consumer (every partition assigned, no group, {@code read_committed}) that first
 * {@link #catchUp catches up} with the topic on the caller's thread (the observer polls
 * Ray only after that, so a restart does not ignore the running jobs for a poll), then
 * {@link #start follows} it on a daemon thread. Unreadable snapshots are skipped with a
 * warning (the scheduler's dead letters are its own business).
 */
public final class JobStatesFollower implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(JobStatesFollower.class);

	private static final Duration FORGET_EVERY = Duration.ofMinutes(1);

	private final KafkaConsumer<String, byte[]> consumer;

	private final DispatchedJobs jobs;

	private final Clock clock;

	private volatile boolean running;

	private volatile boolean failing;

	private Thread thread;

	/**
	 * @param base consumer settings (bootstrap servers, security) from Spring's
	 * KafkaProperties
	 */
	public JobStatesFollower(Map<String, Object> base, DispatchedJobs jobs, Clock clock) {
		Map<String, Object> config = new HashMap<>(base);
		config.remove(ConsumerConfig.GROUP_ID_CONFIG);
		config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.CLIENT_ID_CONFIG, "raylane-observer-job-states");
		this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
		this.jobs = jobs;
		this.clock = clock;
	}

	/**
	 * Reads {@code raylane.job-states} from the beginning up to its end offsets of now.
	 * @throws IllegalStateException when that takes longer than {@code timeout}
	 */
	public void catchUp(Duration timeout) {
		List<TopicPartition> partitions = this.consumer.partitionsFor(Topics.JOB_STATES.name(), timeout)
			.stream()
			.map((p) -> new TopicPartition(p.topic(), p.partition()))
			.toList();
		this.consumer.assign(partitions);
		this.consumer.seekToBeginning(partitions);
		Map<TopicPartition, Long> end = this.consumer.endOffsets(partitions, timeout);
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!end.entrySet().stream().allMatch((e) -> this.consumer.position(e.getKey()) >= e.getValue())) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						"reading " + Topics.JOB_STATES + " did not reach " + end + " within " + timeout);
			}
			pollOnce();
		}
		log.info("knows {} jobs Raylane dispatched (from {})", this.jobs.size(), Topics.JOB_STATES);
	}

	/** Follows the topic on a daemon thread, after {@link #catchUp}. */
	public synchronized void start() {
		this.running = true;
		this.thread = new Thread(this::follow, "raylane-observer-job-states");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/** False while reading the topic fails (the observer then works from what it has). */
	public boolean following() {
		return this.running && !this.failing;
	}

	private void follow() {
		Instant lastForget = this.clock.instant();
		try {
			while (this.running) {
				try {
					pollOnce();
					this.failing = false;
				}
				catch (WakeupException ex) {
					throw ex;
				}
				catch (RuntimeException ex) {
					if (!this.failing) {
						log.warn("reading {} fails; retrying: {}", Topics.JOB_STATES, DeadLetter.reasonOf(ex));
					}
					this.failing = true;
					pause();
				}
				Instant now = this.clock.instant();
				if (!now.isBefore(lastForget.plus(FORGET_EVERY))) {
					lastForget = now;
					this.jobs.forgetEnded(now);
				}
			}
		}
		catch (WakeupException ex) {
			// closing
		}
		finally {
			this.consumer.close();
		}
	}

	private void pollOnce() {
		Instant now = this.clock.instant();
		for (ConsumerRecord<String, byte[]> record : this.consumer.poll(Duration.ofMillis(500))) {
			if (record.value() == null) {
				if (record.key() != null) {
					this.jobs.remove(record.key());
				}
				continue;
			}
			try {
				JobView view = Topics.JOB_STATES.valueSerde()
					.deserializer()
					.deserialize(record.topic(), record.value());
				if (view != null) {
					this.jobs.apply(view, now);
				}
			}
			catch (SerializationException ex) {
				log.warn("skipping unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
						ex.getMessage());
			}
		}
	}

	private static void pause() {
		try {
			Thread.sleep(1000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public synchronized void close() {
		this.running = false;
		if (this.thread == null) {
			this.consumer.close();
			return;
		}
		this.consumer.wakeup();
		try {
			this.thread.join(10_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
