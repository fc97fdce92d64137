package io.raylane.api.ops;

import io.raylane.api.SnapshotTopicReader;
import io.raylane.support.kafka.DeadLetterPublisher;
import io.raylane.support.kafka.TopicsAtStartup;
import io.raylane.topics.Topics;
import io.raylane.topics.events.NodeEvent;
import io.raylane.topics.events.RayHeadRestarted;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Follows {@code raylane.node-events} for the node-agent's reports of ops operations
 * ({@link RayHeadRestarted}) and hands them to {@link Operations}; every other node event
 * is the scheduler's business and is skipped.
 */
@Component
final class NodeEventsReader extends SnapshotTopicReader<NodeEvent> {

	private final Operations operations;

	NodeEventsReader(KafkaProperties kafka, TopicsAtStartup topicsAtStartup, Operations operations,
			DeadLetterPublisher deadLetters) {
		super(Topics.NODE_EVENTS, kafka, deadLetters);
		this.operations = operations;
	}

	@Override
	protected String idOf(NodeEvent event) {
		return event.nodeId();
	}

	@Override
	protected void put(NodeEvent event) {
		if (event instanceof RayHeadRestarted restarted) {
			this.operations.finished(restarted);
		}
	}

	@Override
	protected void remove(String key) {
		// node events are an append-only log: no tombstones
	}

}
