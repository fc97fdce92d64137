package io.raylane.scheduler.topology;

import io.raylane.topics.Topic;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An output topic's serde whose serializer takes the bytes a JobView or dispatch record
 * already has in {@link RecordBytes} (its job row or the {@link RecordSizeGuard} encoded
 * it while the same input was handled) instead of encoding the record again. The bytes
 * are the topic's own serializer's; any other record goes to that serializer.
 */
final class KeptBytesSerde<V> implements Serde<V>, Serializer<V> {

	private final Serde<V> topicSerde;

	KeptBytesSerde(Topic<String, V> topic) {
		this.topicSerde = topic.valueSerde();
	}

	@Override
	public byte[] serialize(String topic, V value) {
		return (value != null && RecordBytes.kept(value)) ? RecordBytes.of(value)
				: this.topicSerde.serializer().serialize(topic, value);
	}

	@Override
	public Serializer<V> serializer() {
		return this;
	}

	@Override
	public Deserializer<V> deserializer() {
		return this.topicSerde.deserializer();
	}

	@Override
	public void configure(java.util.Map<String, ?> configs, boolean isKey) {
	}

	@Override
	public void close() {
	}

}
