package io.raylane.observer.observe;

import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.NodeObserved;

/** Where observations go ({@link KafkaObservationPublisher} in the service). Each call returns once it is durable. */
public interface ObservationSink {

	/** On {@code raylane.ray-observations}, key = job id. */
	void publish(JobObserved observation);

	/** On {@code raylane.node-events}, key = node id. */
	void publish(NodeObserved observation);

}
