package io.raylane.observer.publish;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.raylane.topics.Topic;
import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.partition.PoolPartitions;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observer's one transactional producer: each poll's {@link PollBatch} (JobObserved
 * on {@code raylane.ray-observations}, NodeObserved on {@code raylane.node-events},
 * GpuUsage on {@code raylane.accounting}, Alert on {@code raylane.alerts}) goes out in
 * one transaction. A failed transaction is aborted and reported, so the poll remembers
 * nothing and the next poll recomputes the same records. A
 * {@link ProducerFencedException} means another observer with the same
 * {@code transactional.id} started: this one stops publishing for good
 * ({@link #fenced()}, health DOWN). Run exactly one observer.
 */
public final class TransactionalBatchPublisher implements BatchPublisher, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(TransactionalBatchPublisher.class);

	private final Supplier<Producer<String, byte[]>> factory;

	private Producer<String, byte[]> producer;

	private volatile boolean fenced;

	/**
	 * @param factory makes a producer configured by {@link #producerConfig}
	 */
	public TransactionalBatchPublisher(Supplier<Producer<String, byte[]>> factory) {
		this.factory = factory;
	}

	/**
	 * The producer settings: the given base (Spring's KafkaProperties) plus transactions,
	 * acks=all, idempotence.
	 */
	public static Map<String, Object> producerConfig(Map<String, Object> base, String transactionalId) {
		Map<String, Object> config = new HashMap<>(base);
		config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
		config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		// a batch is committed right after it is sent: lingering (5 ms by default since
		// Kafka 4.0) would only delay each commit (issue 17)
		config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
		return config;
	}

	/**
	 * Registers the transactional id: fences a crashed predecessor and aborts its open
	 * transaction. Call before restoring state from the topics, so the restore reads only
	 * committed records.
	 */
	public synchronized void initTransactions() {
		this.producer = this.factory.get();
		this.producer.initTransactions();
	}

	@Override
	public synchronized void publish(PollBatch batch) {
		if (this.fenced) {
			throw new ObserverFencedException("another observer took over; this one publishes no more", null);
		}
		if (batch.isEmpty()) {
			return;
		}
		if (this.producer == null) {
			// a failed abort left no producer: a new one fences nothing but our own
			// aborted epoch
			initTransactions();
		}
		// serialize first: a record that cannot be written fails the poll before a
		// transaction is open
		List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
		// the scheduler's inputs go to the partition that owns their pool: it then skips
		// its by-pool repartition (PoolPartitions)
		batch.jobs().forEach((o) -> records.add(record(Topics.RAY_OBSERVATIONS, o.pool(), o.jobId(), o)));
		batch.nodes().forEach((o) -> records.add(record(Topics.NODE_EVENTS, o.pool(), o.nodeId(), o)));
		batch.usages().forEach((u) -> records.add(record(Topics.ACCOUNTING, null, u.jobId(), u)));
		batch.alerts().forEach((a) -> records.add(record(Topics.ALERTS, null, a.subject(), a)));
		try {
			this.producer.beginTransaction();
			records.forEach(this.producer::send);
			// commit flushes and fails when any send failed
			this.producer.commitTransaction();
		}
		catch (RuntimeException ex) {
			if (isFenced(ex)) {
				fencedBy(ex);
			}
			abortOrRenew();
			if (this.fenced) {
				throw new ObserverFencedException("fenced by another observer", ex);
			}
			throw new IllegalStateException("the poll's transaction failed and was aborted: " + DeadLetter.reasonOf(ex),
					ex);
		}
	}

	/** True once another observer fenced this one. */
	public boolean fenced() {
		return this.fenced;
	}

	@Override
	public synchronized void close() {
		closeQuietly();
	}

	private <V> ProducerRecord<String, byte[]> record(Topic<String, V> topic, String pool, String key, V value) {
		Integer partition = (pool != null) ? PoolPartitions.of(pool, this.producer.partitionsFor(topic.name())) : null;
		return new ProducerRecord<>(topic.name(), partition, key,
				topic.valueSerde().serializer().serialize(topic.name(), value));
	}

	private static boolean isFenced(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof ProducerFencedException) {
				return true;
			}
		}
		return false;
	}

	private void fencedBy(Throwable ex) {
		if (!this.fenced) {
			this.fenced = true;
			log.error("another observer with the same transactional id took over: this observer stops publishing; "
					+ "run exactly one observer ({})", DeadLetter.reasonOf(ex));
		}
		closeQuietly();
	}

	/**
	 * Aborts; when the producer is in a fatal state, replaces it (a new one aborts the
	 * open transaction).
	 */
	private void abortOrRenew() {
		if (this.fenced) {
			return;
		}
		try {
			this.producer.abortTransaction();
		}
		catch (RuntimeException ex) {
			if (isFenced(ex)) {
				fencedBy(ex);
				return;
			}
			log.warn("abort failed ({}); starting a new transactional producer", DeadLetter.reasonOf(ex));
			closeQuietly();
			try {
				initTransactions();
			}
			catch (RuntimeException again) {
				if (isFenced(again)) {
					fencedBy(again);
					return;
				}
				closeQuietly();
				log.warn("cannot start a new transactional producer yet: {}", DeadLetter.reasonOf(again));
			}
		}
	}

	private void closeQuietly() {
		if (this.producer != null) {
			try {
				this.producer.close(java.time.Duration.ofSeconds(5));
			}
			catch (RuntimeException ex) {
				log.debug("closing the producer: {}", ex.toString());
			}
			this.producer = null;
		}
	}

}
