package io.raylane.scheduler.topology;

import java.time.Clock;
import java.util.Objects;

import io.raylane.topics.Topic;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.partition.PoolPartitions;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one input topic's raw records: a readable record that names its pool goes on
 * re-keyed by pool as a {@link RoutedEvent}, which says whether the record already sits
 * in the partition that owns its pool ({@link PoolPartitions}: it is scheduled in this
 * task, without the by-pool repartition); anything else becomes a {@link DeadLetter}
 * (with the record's topic, partition and offset) for {@code raylane.dead-letters},
 * forwarded inside the topology so it commits exactly once with the input offset, and
 * processing carries on.
 */
final class InputReader implements Processor<String, byte[], String, Object> {

	private static final Logger log = LoggerFactory.getLogger(InputReader.class);

	private final Topic<String, ?> topic;

	private final String consumer;

	private final Clock clock;

	private final int byPoolPartitions;

	private ProcessorContext<String, Object> context;

	/**
	 * @param byPoolPartitions the partitions of the by-pool repartition topic: task
	 * {@code p} owns the pools that hash to partition {@code p} of it
	 */
	InputReader(Topic<String, ?> topic, String consumer, Clock clock, int byPoolPartitions) {
		this.topic = topic;
		this.consumer = consumer;
		this.clock = clock;
		this.byPoolPartitions = byPoolPartitions;
	}

	@Override
	public void init(ProcessorContext<String, Object> context) {
		this.context = context;
	}

	@Override
	public void process(Record<String, byte[]> record) {
		if (record.value() == null) {
			// a tombstone on an intake topic carries nothing to schedule
			return;
		}
		PoolEvent event;
		try {
			event = PoolEvent.of(this.topic.valueSerde().deserializer().deserialize(this.topic.name(), record.value()));
		}
		catch (RuntimeException ex) {
			deadLetter(record, DeadLetter.reasonOf(ex));
			return;
		}
		String problem = event.problem();
		if (problem != null) {
			deadLetter(record, problem);
			return;
		}
		int partition = this.context.recordMetadata().map(RecordMetadata::partition).orElse(-1);
		boolean owned = Objects.equals(PoolPartitions.of(event.pool(), this.byPoolPartitions), partition);
		this.context.forward(record.withKey(event.pool()).withValue(new RoutedEvent(event, owned)));
	}

	private void deadLetter(Record<String, byte[]> record, String reason) {
		RecordMetadata meta = this.context.recordMetadata().orElse(null);
		String topicName = (meta != null) ? meta.topic() : this.topic.name();
		int partition = (meta != null) ? meta.partition() : -1;
		long offset = (meta != null) ? meta.offset() : -1;
		log.warn("dead-lettered {}-{}@{}: {}", topicName, partition, offset, reason);
		DeadLetter letter = DeadLetter.of(topicName, partition, offset, record.key(), record.value(), reason,
				this.consumer, this.clock.instant());
		this.context.forward(record.withValue(letter));
	}

}
