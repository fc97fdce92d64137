package io.raylane.api.nodes;

import io.raylane.api.SnapshotTopicReader;
import io.raylane.support.kafka.DeadLetterPublisher;
import io.raylane.support.kafka.TopicsAtStartup;
import io.raylane.topics.Topics;
import io.raylane.topics.node.NodeView;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Keeps {@link NodeViewStore} equal to the compacted {@code raylane.node-states} topic
 * (see {@link SnapshotTopicReader}).
 */
@Component
final class NodeStatesReader extends SnapshotTopicReader<NodeView> {

	private final NodeViewStore store;

	NodeStatesReader(KafkaProperties kafka, TopicsAtStartup topicsAtStartup, NodeViewStore store,
			DeadLetterPublisher deadLetters) {
		super(Topics.NODE_STATES, kafka, deadLetters);
		this.store = store;
	}

	@Override
	protected String idOf(NodeView view) {
		return view.nodeId();
	}

	@Override
	protected void put(NodeView view) {
		this.store.apply(view);
	}

	@Override
	protected void remove(String nodeId) {
		this.store.remove(nodeId);
	}

}
