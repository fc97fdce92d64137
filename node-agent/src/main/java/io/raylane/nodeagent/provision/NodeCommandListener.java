package io.raylane.nodeagent.provision;

import io.raylane.support.kafka.DeadLetterPublisher;
import io.raylane.topics.Topics;
import io.raylane.topics.events.NodeCommand;
import io.raylane.topics.events.NodeEvent;
import io.raylane.topics.partition.PoolPartitions;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Consumes {@code raylane.node-commands} (read_committed, bytes) inside a Kafka
 * transaction, lets the {@link NodeCommandHandler} run it over SSH and publishes the
 * outcome on {@code raylane.node-events}; an unreadable record goes to
 * {@code raylane.dead-letters}. The event (or dead letter) commits with the consumed
 * offset. Listener threads ({@code raylane.node-agent.concurrency}) bound how many nodes
 * are worked on at once.
 */
@Component
class NodeCommandListener {

	static final String ID = "raylane-node-agent-commands";

	private final NodeCommandHandler handler;

	private final DeadLetterPublisher deadLetters;

	private final KafkaTemplate<String, byte[]> kafka;

	NodeCommandListener(NodeCommandHandler handler, DeadLetterPublisher deadLetters,
			KafkaTemplate<String, byte[]> kafka) {
		this.handler = handler;
		this.deadLetters = deadLetters;
		this.kafka = kafka;
	}

	@KafkaListener(id = ID, groupId = "${raylane.node-agent.group:raylane-node-agent}",
			concurrency = "${raylane.node-agent.concurrency:3}",
			topics = "#{T(io.raylane.topics.Topics).NODE_COMMANDS.name()}")
	void onCommand(ConsumerRecord<String, byte[]> record) {
		NodeCommand command = this.deadLetters.read(Topics.NODE_COMMANDS, record);
		if (command == null) {
			return;
		}
		if (command.nodeId() == null || command.nodeId().isBlank() || command.spec() == null) {
			this.deadLetters.publish(record, command.getClass().getSimpleName() + " without a node id or spec");
			return;
		}
		NodeEvent event = this.handler.handle(command);
		// to the partition that owns the node's pool: the scheduler then skips its
		// by-pool
		// repartition (PoolPartitions)
		this.kafka.send(Topics.NODE_EVENTS.name(),
				PoolPartitions.of(event.pool(), this.kafka.partitionsFor(Topics.NODE_EVENTS.name())), command.nodeId(),
				Topics.NODE_EVENTS.valueSerde().serializer().serialize(Topics.NODE_EVENTS.name(), event));
	}

}
