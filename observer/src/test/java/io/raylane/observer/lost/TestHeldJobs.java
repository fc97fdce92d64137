package io.raylane.observer.lost;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.raylane.observer.attribution.DispatchedJobs;
import io.raylane.topics.Topics;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.job.Resources;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * A {@code raylane.job-states} of one partition in memory (Kafka's MockConsumer) and the
 * {@link HeldJobs} that reads it, for the observer's unit tests.
 */
public final class TestHeldJobs {

	static final String TOPIC = Topics.JOB_STATES.name();

	static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

	final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");

	private final DispatchedJobs dispatched = new DispatchedJobs(Duration.ofDays(7));

	private final HeldJobs held = new HeldJobs(() -> this.consumer, this.dispatched,
			Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

	private long offset;

	private boolean assigned;

	public TestHeldJobs() {
		Node node = new Node(0, "127.0.0.1", 9092);
		this.consumer.updatePartitions(TOPIC,
				List.of(new PartitionInfo(TOPIC, 0, node, new Node[] { node }, new Node[] { node })));
		this.consumer.updateBeginningOffsets(Map.of(P0, 0L));
		this.consumer.updateEndOffsets(Map.of(P0, 0L));
	}

	public HeldJobs reader() {
		return this.held;
	}

	/** The jobs Raylane dispatched, as the reader kept them from the same snapshots. */
	public DispatchedJobs dispatched() {
		return this.dispatched;
	}

	/** The scheduler publishes job {@code jobId} (pool default) with {@code status}. */
	public TestHeldJobs publish(String jobId, JobStatus status) {
		JobView view = JobView.builder()
			.jobId(jobId)
			.user("alice")
			.pool("default")
			.status(status)
			.resources(Resources.of(1, 4))
			.updatedAt(Instant.parse("2026-01-01T00:00:00Z"))
			.build();
		return append(jobId, Topics.JOB_STATES.valueSerde().serializer().serialize(TOPIC, view));
	}

	/** A raw record (null value: a tombstone). */
	public TestHeldJobs append(String key, byte[] value) {
		if (!this.assigned) {
			// MockConsumer takes records only for assigned partitions
			this.consumer.assign(List.of(P0));
			this.assigned = true;
		}
		this.consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, this.offset++, key, value));
		this.consumer.updateEndOffsets(Map.of(P0, this.offset));
		return this;
	}

	/** The end offset moves on, but the records behind it are not readable yet. */
	public void endMovesAhead() {
		this.consumer.updateEndOffsets(Map.of(P0, this.offset + 5));
	}

}
