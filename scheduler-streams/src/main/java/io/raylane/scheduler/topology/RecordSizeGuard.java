package io.raylane.scheduler.topology;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.raylane.topics.Topic;
import io.raylane.topics.Topics;
import io.raylane.topics.events.DispatchCommand;
import io.raylane.topics.job.JobView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a record before the topology forwards it to a topic the broker would refuse it
 * on (issue 12: a dispatch record over the broker's 1 MiB made the transaction abort, and
 * the stream thread replayed the same input forever). Under exactly-once a failed send
 * dooms the whole transaction whatever a {@code ProductionExceptionHandler} answers, so
 * the only way to end just that one job is not to send the record: the topology measures
 * it first, and ends the job whose record does not fit.
 * <p>
 * A topic's limit is the smallest of the producer's {@code max.request.size} and the
 * topic's {@code max.message.bytes} (read from the broker at start,
 * {@link #learn(String, long)}), less {@link #OVERHEAD} for the batch and record headers;
 * a broker that still refuses a record lowers it ({@link #refused(String, int)}), so the
 * replay that follows ends the job. Only the records that carry a JobSpec (job views,
 * dispatch commands) are measured: every other output is small by construction.
 * Thread-safe: the stream threads read it, the producer's callback lowers it.
 */
public final class RecordSizeGuard {

	private static final Logger log = LoggerFactory.getLogger(RecordSizeGuard.class);

	/** Kafka's own default {@code max.request.size} and {@code message.max.bytes}. */
	public static final int KAFKA_DEFAULT_MAX_BYTES = 1024 * 1024;

	/** Room for a record batch's and a record's headers beside key and value. */
	static final int OVERHEAD = 1024;

	private final int defaultLimit;

	private final Map<String, Integer> limits = new ConcurrentHashMap<>();

	private final AtomicLong refusals = new AtomicLong();

	/**
	 * @param maxRequestBytes the producer's {@code max.request.size}
	 */
	public RecordSizeGuard(int maxRequestBytes) {
		this.defaultLimit = maxRequestBytes - OVERHEAD;
	}

	/** A guard for Kafka's defaults (1 MiB). */
	public static RecordSizeGuard kafkaDefaults() {
		return new RecordSizeGuard(KAFKA_DEFAULT_MAX_BYTES);
	}

	/** The topic takes records of at most {@code maxMessageBytes} (its config). */
	public void learn(String topic, long maxMessageBytes) {
		int limit = (int) Math.min(this.defaultLimit, maxMessageBytes - OVERHEAD);
		this.limits.merge(topic, limit, Math::min);
	}

	/**
	 * The broker refused a record of {@code bytes} (key and value) on {@code topic}: from
	 * now on such a record is stopped before it is sent.
	 */
	public void refused(String topic, int bytes) {
		this.refusals.incrementAndGet();
		int limit = Math.max(0, bytes - 1);
		this.limits.merge(topic, limit, Math::min);
		log.warn("the broker refused a record of {} bytes on {}; records of that size are stopped from now on", bytes,
				topic);
	}

	/** How many records the broker refused since start. */
	public long refusals() {
		return this.refusals.get();
	}

	/** The largest key plus value {@code topic} takes. */
	public int limit(String topic) {
		return this.limits.getOrDefault(topic, this.defaultLimit);
	}

	/**
	 * Why {@code value} (keyed {@code key}) cannot be written where the topology sends
	 * it, or empty when it can (or is not a record that carries a JobSpec).
	 */
	Optional<String> problem(String key, Object value) {
		Topic<String, ?> topic = (value instanceof JobView) ? Topics.JOB_STATES
				: (value instanceof DispatchCommand) ? Topics.DISPATCH : null;
		return (topic != null) ? problem(topic, key, value) : Optional.empty();
	}

	/**
	 * Why {@code value} cannot be written to {@code topic}: it cannot be serialized, or
	 * it is larger than the topic takes.
	 */
	@SuppressWarnings("unchecked")
	<V> Optional<String> problem(Topic<String, V> topic, String key, Object value) {
		byte[] bytes;
		try {
			// a JobView or dispatch record is encoded once for the guard, its row and its
			// sink (issue 17 goal 4)
			bytes = RecordBytes.kept(value) ? RecordBytes.of(value)
					: topic.valueSerde().serializer().serialize(topic.name(), (V) value);
		}
		catch (RuntimeException ex) {
			return Optional.of("its record for " + topic.name() + " cannot be written: " + ex.getMessage());
		}
		int size = ((bytes != null) ? bytes.length : 0)
				+ ((key != null) ? key.getBytes(StandardCharsets.UTF_8).length : 0);
		int limit = limit(topic.name());
		if (size > limit) {
			return Optional.of("its record for " + topic.name() + " would be " + size
					+ " bytes; the topic takes at most " + limit);
		}
		return Optional.empty();
	}

}
