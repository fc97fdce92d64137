package io.raylane.api.nodes;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.deadletter.DeadLetterPublisher;
import io.raylane.topics.node.NodeView;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps {@link NodeViewStore} equal to the compacted {@code raylane.node-states} topic, like the job view's
 * reader: one thread, every partition assigned by hand, from the beginning, {@code read_committed}; unreadable
 * records go to {@code raylane.dead-letters}.
 */
@Component
final class NodeStatesReader implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(NodeStatesReader.class);

	private final Map<String, Object> consumerConfig;

	private final NodeViewStore store;

	private final DeadLetterPublisher deadLetters;

	private volatile KafkaConsumer<String, byte[]> consumer;

	private volatile Thread thread;

	private volatile boolean running;

	NodeStatesReader(KafkaProperties kafka, io.raylane.api.TopicsReady topicsReady, NodeViewStore store,
			DeadLetterPublisher deadLetters) {
		Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
		config.remove(ConsumerConfig.GROUP_ID_CONFIG);
		config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		config.put(ConsumerConfig.CLIENT_ID_CONFIG, "raylane-api-node-states");
		this.consumerConfig = config;
		this.store = store;
		this.deadLetters = deadLetters;
	}

	@Override
	public void start() {
		this.consumer = new KafkaConsumer<>(this.consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
		this.running = true;
		this.thread = new Thread(this::run, "raylane-api-node-states");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	@Override
	public void stop() {
		this.running = false;
		KafkaConsumer<String, byte[]> c = this.consumer;
		if (c != null) {
			c.wakeup();
		}
		try {
			if (this.thread != null) {
				this.thread.join(Duration.ofSeconds(10).toMillis());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void run() {
		try (KafkaConsumer<String, byte[]> c = this.consumer) {
			List<TopicPartition> partitions = partitions(c);
			c.assign(partitions);
			c.seekToBeginning(partitions);
			while (this.running) {
				for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
					apply(record);
				}
			}
		}
		catch (WakeupException ex) {
			if (this.running) {
				log.error("node view reader woken up while running", ex);
			}
		}
		catch (RuntimeException ex) {
			log.error("node view reader stopped", ex);
		}
	}

	private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c) {
		while (true) {
			List<TopicPartition> partitions = c.partitionsFor(Topics.NODE_STATES.name())
				.stream()
				.map((p) -> new TopicPartition(p.topic(), p.partition()))
				.toList();
			if (!partitions.isEmpty()) {
				return partitions;
			}
			c.poll(Duration.ofMillis(200));
		}
	}

	void apply(ConsumerRecord<String, byte[]> record) {
		try {
			if (record.value() == null) {
				if (record.key() != null) {
					this.store.remove(record.key());
				}
				return;
			}
			NodeView view = this.deadLetters.read(Topics.NODE_STATES, record);
			if (view == null) {
				return;
			}
			if (view.nodeId() == null) {
				this.deadLetters.publish(record, "NodeView without node_id");
				return;
			}
			this.store.apply(view);
		}
		catch (RuntimeException ex) {
			this.deadLetters.publish(record, DeadLetter.reasonOf(ex));
		}
	}

}
