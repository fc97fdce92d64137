package io.raylane.observer.observe;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.raylane.topics.Topic;
import io.raylane.topics.Topics;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.NodeObserved;

import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes observations: JobObserved on {@code raylane.ray-observations} (key job id), NodeObserved on
 * {@code raylane.node-events} (key node id), serialized by the topic catalog's serdes. Waits for the broker's
 * acknowledgement so the poller only remembers what was really published.
 */
public final class KafkaObservationPublisher implements ObservationSink {

	private final KafkaTemplate<String, byte[]> kafka;

	private final Duration timeout;

	public KafkaObservationPublisher(KafkaTemplate<String, byte[]> kafka, Duration timeout) {
		this.kafka = kafka;
		this.timeout = timeout;
	}

	@Override
	public void publish(JobObserved observation) {
		send(Topics.RAY_OBSERVATIONS, observation.jobId(), observation);
	}

	@Override
	public void publish(NodeObserved observation) {
		send(Topics.NODE_EVENTS, observation.nodeId(), observation);
	}

	private <V> void send(Topic<String, V> topic, String key, V value) {
		byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
		try {
			this.kafka.send(topic.name(), key, bytes).get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while publishing on " + topic.name(), ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("could not publish on " + topic.name() + ": " + ex.getMessage(), ex);
		}
	}

}
