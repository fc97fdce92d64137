package io.raylane.api.nodes;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.raylane.api.ApiProperties;
import io.raylane.api.errors.ApiException;
import io.raylane.api.errors.ProducerFailures;
import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.events.NodeEvent;
import io.raylane.topics.partition.PoolPartitions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Writes what an operator asked (NodeRegistered, Drain/Undrain/DecommissionRequested) to
 * {@code raylane.node-events} (key = node id) and waits for the broker's acknowledgement;
 * the scheduler owns the node's state from there. A failure becomes 503 (413 for a record
 * too large, {@link ProducerFailures}).
 */
@Component
class NodeEventPublisher {

	private static final Logger log = LoggerFactory.getLogger(NodeEventPublisher.class);

	private final KafkaTemplate<String, byte[]> producer;

	private final long timeoutMs;

	NodeEventPublisher(KafkaTemplate<String, byte[]> producer, ApiProperties properties) {
		this.producer = producer;
		this.timeoutMs = properties.kafka().sendTimeout().toMillis();
	}

	void publish(NodeEvent event) {
		byte[] value = Topics.NODE_EVENTS.valueSerde().serializer().serialize(Topics.NODE_EVENTS.name(), event);
		try {
			this.producer
				.send(Topics.NODE_EVENTS.name(),
						PoolPartitions.of(event.pool(), this.producer.partitionsFor(Topics.NODE_EVENTS.name())),
						event.nodeId(), value)
				.get(this.timeoutMs, TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw unavailable(event, ex);
		}
		catch (ExecutionException | TimeoutException | RuntimeException ex) {
			throw unavailable(event, ex);
		}
	}

	private static ApiException unavailable(NodeEvent event, Exception ex) {
		log.error("{} for {} not acknowledged: {}", event.getClass().getSimpleName(), event.nodeId(),
				DeadLetter.reasonOf(ex));
		return ProducerFailures.answer(ex, "the request for node " + event.nodeId(),
				"look at the node before retrying");
	}

}
