package io.raylane.observer.publish;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.raylane.observer.accounting.LedgerPosition;
import io.raylane.topics.Topics;
import io.raylane.topics.events.Alert;
import io.raylane.topics.events.GpuUsage;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the observer's memory at start-up from what it committed before: reads
 * {@code raylane.accounting} and {@code raylane.alerts} from the beginning to their end
 * offsets with {@code isolation.level=read_committed} (a plain consumer with
 * {@code assign()}, no group) and returns, per job, the next interval index and whether
 * the final record is written, the start of the latest {@code gpu_idle} episode alerted
 * per job, and the latest alert per kind and subject. Runs after
 * {@link TransactionalBatchPublisher#initTransactions()}, so a crashed predecessor's open
 * transaction is already aborted and cannot be counted.
 */
public final class StateRestorer {

	private static final Logger log = LoggerFactory.getLogger(StateRestorer.class);

	private StateRestorer() {
	}

	/**
	 * @param base consumer settings (bootstrap servers, security) from Spring's
	 * KafkaProperties
	 * @param timeout how long to wait for the broker at all
	 */
	public static RestoredState restore(Map<String, Object> base, Duration timeout) {
		Map<String, Object> config = new HashMap<>(base);
		config.remove(ConsumerConfig.GROUP_ID_CONFIG);
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
		Map<String, LedgerPosition> positions = new HashMap<>();
		Map<String, Instant> idle = new HashMap<>();
		Map<String, Alert> latest = new HashMap<>();
		int[] counts = new int[2];
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new ByteArrayDeserializer())) {
			List<TopicPartition> partitions = new ArrayList<>();
			for (String topic : List.of(Topics.ACCOUNTING.name(), Topics.ALERTS.name())) {
				consumer.partitionsFor(topic, timeout)
					.forEach((p) -> partitions.add(new TopicPartition(topic, p.partition())));
			}
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
			long deadline = System.nanoTime() + timeout.toNanos();
			while (!reachedEnd(consumer, end)) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException(
							"restoring from " + partitions + " did not reach " + end + " within " + timeout);
				}
				for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
					if (record.topic().equals(Topics.ACCOUNTING.name())) {
						usage(record).ifPresent((u) -> {
							counts[0]++;
							positions.merge(u.jobId(), LedgerPosition.START.after(u.intervalIndex(), u.isFinal()),
									(a, b) -> a.after(b.nextIndex() - 1, b.finalWritten()));
						});
					}
					else {
						alert(record).ifPresent((a) -> {
							if (Alert.GPU_IDLE.equals(a.kind())) {
								counts[1]++;
								idle.merge(a.subject(), episodeStart(a), (x, y) -> x.isAfter(y) ? x : y);
							}
							if (a.raisedAt() != null) {
								latest.merge(a.kind() + "/" + a.subject(), a,
										(x, y) -> y.raisedAt().isAfter(x.raisedAt()) ? y : x);
							}
						});
					}
				}
			}
		}
		log.info("restored {} accounting records of {} jobs and {} gpu_idle alerts", counts[0], positions.size(),
				counts[1]);
		return new RestoredState(positions, idle, List.copyOf(latest.values()));
	}

	private static boolean reachedEnd(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
		return end.entrySet().stream().allMatch((e) -> consumer.position(e.getKey()) >= e.getValue());
	}

	private static java.util.Optional<GpuUsage> usage(ConsumerRecord<String, byte[]> record) {
		try {
			return java.util.Optional
				.ofNullable(Topics.ACCOUNTING.valueSerde().deserializer().deserialize(record.topic(), record.value()));
		}
		catch (SerializationException ex) {
			log.warn("skipping unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
					ex.getMessage());
			return java.util.Optional.empty();
		}
	}

	private static java.util.Optional<Alert> alert(ConsumerRecord<String, byte[]> record) {
		try {
			return java.util.Optional
				.ofNullable(Topics.ALERTS.valueSerde().deserializer().deserialize(record.topic(), record.value()));
		}
		catch (SerializationException ex) {
			log.warn("skipping unreadable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
					ex.getMessage());
			return java.util.Optional.empty();
		}
	}

	/**
	 * The episode start is the last part of the alert's id
	 * ({@code gpu_idle/<job>/<epoch ms>}).
	 */
	static Instant episodeStart(Alert alert) {
		String id = String.valueOf(alert.id());
		try {
			return Instant.ofEpochMilli(Long.parseLong(id.substring(id.lastIndexOf('/') + 1)));
		}
		catch (NumberFormatException ex) {
			return (alert.raisedAt() != null) ? alert.raisedAt() : Instant.EPOCH;
		}
	}

	/**
	 * What was committed before this start.
	 *
	 * @param positions per job: next interval index, final written
	 * @param idleEpisodes per job: start of the latest alerted gpu_idle episode
	 * @param latestAlerts the latest alert per kind and subject (for
	 * {@code raylane_alert_active}, which forgets the expired and resolved ones)
	 */
	public record RestoredState(Map<String, LedgerPosition> positions, Map<String, Instant> idleEpisodes,
			List<Alert> latestAlerts) {
	}

}
