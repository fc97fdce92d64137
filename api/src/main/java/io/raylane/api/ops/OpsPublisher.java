package io.raylane.api.ops;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.raylane.api.ApiProperties;
import io.raylane.api.errors.ApiException;
import io.raylane.api.errors.ProducerFailures;
import io.raylane.topics.Topic;
import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.events.JobCommand;
import io.raylane.topics.events.NodeCommand;
import io.raylane.topics.events.NodeEvent;
import io.raylane.topics.partition.PoolPartitions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes what an ops operation asks and waits for the broker's acknowledgement:
 * {@code DrainRequested} on {@code raylane.node-events} (the scheduler drains, as for
 * {@code POST /v1/nodes/{id}:drain}), {@code StopJob} on {@code raylane.job-commands},
 * {@code RestartRayHead} on {@code raylane.node-commands} (the node-agent). A failure
 * becomes 503 (413 for a record too large).
 */
@Component
class OpsPublisher {

	private static final Logger log = LoggerFactory.getLogger(OpsPublisher.class);

	private final KafkaTemplate<String, byte[]> producer;

	private final long timeoutMs;

	OpsPublisher(KafkaTemplate<String, byte[]> producer, ApiProperties properties) {
		this.producer = producer;
		this.timeoutMs = properties.kafka().sendTimeout().toMillis();
	}

	void nodeEvent(NodeEvent event) {
		send(Topics.NODE_EVENTS, event.pool(), event.nodeId(), event);
	}

	void nodeCommand(NodeCommand command) {
		send(Topics.NODE_COMMANDS, null, command.nodeId(), command);
	}

	void jobCommand(JobCommand command) {
		send(Topics.JOB_COMMANDS, command.pool(), command.jobId(), command);
	}

	/**
	 * @param pool the pool of a scheduler input (its record goes to the partition that
	 * owns the pool, {@link PoolPartitions}); null for any other topic
	 */
	private <V> void send(Topic<String, V> topic, String pool, String key, V value) {
		byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
		try {
			Integer partition = (pool != null) ? PoolPartitions.of(pool, this.producer.partitionsFor(topic.name()))
					: null;
			this.producer.send(topic.name(), partition, key, bytes).get(this.timeoutMs, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw unavailable(value, key, ex);
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			throw unavailable(value, key, ex);
		}
	}

	private static ApiException unavailable(Object value, String key, Exception ex) {
		log.error("{} for {} not acknowledged: {}", value.getClass().getSimpleName(), key, DeadLetter.reasonOf(ex));
		return ProducerFailures.answer(ex, "the " + value.getClass().getSimpleName() + " for " + key,
				"look at the node and the operation before retrying");
	}

}
