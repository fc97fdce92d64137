package io.raylane.topics;

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
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions, boolean compacted) {

	@Override
	public String toString() {
		return this.name;
	}

}
