package io.raylane.topics;

import java.util.Map;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic as a typed constant: its name, serdes and how it is created. Never spell a
 * topic name as a string outside {@link Topics}.
 *
 * @param name topic name
 * @param keySerde serde of the key
 * @param valueSerde serde of the value
 * @param partitions partitions created at start-up
 * @param compacted whether the topic is log-compacted (snapshot topics)
 * @param configs topic-level configs besides the cleanup policy and
 * {@code min.insync.replicas} (e.g. the retention of the history topics); set when
 * {@link TopicCreator} creates the topic, and on an existing topic that only inherits the
 * broker's default for them
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions, boolean compacted,
		Map<String, String> configs) {

	public Topic {
		configs = Map.copyOf(configs);
	}

	public Topic(String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions, boolean compacted) {
		this(name, keySerde, valueSerde, partitions, compacted, Map.of());
	}

	@Override
	public String toString() {
		return this.name;
	}

}
