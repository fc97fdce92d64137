package io.raylane.topics.json;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.core.JacksonException;

/**
 * Kafka serde for one record family, in {@link Json}'s dialect. A record that cannot be
 * read raises {@link SerializationException} with Jackson's explanation; consumers turn
 * that into a dead letter.
 */
public final class JsonSerde<T> implements Serde<T>, Serializer<T>, Deserializer<T> {

	private final Class<T> type;

	public JsonSerde(Class<T> type) {
		this.type = type;
	}

	public Class<T> type() {
		return this.type;
	}

	@Override
	public byte[] serialize(String topic, T data) {
		return (data != null) ? Json.write(data) : null;
	}

	@Override
	public T deserialize(String topic, byte[] data) {
		if (data == null) {
			return null;
		}
		try {
			return Json.read(data, this.type);
		}
		catch (JacksonException ex) {
			throw new SerializationException(
					"unreadable " + this.type.getSimpleName() + " on " + topic + ": " + ex.getOriginalMessage(), ex);
		}
	}

	@Override
	public Serializer<T> serializer() {
		return this;
	}

	@Override
	public Deserializer<T> deserializer() {
		return this;
	}

	@Override
	public void configure(java.util.Map<String, ?> configs, boolean isKey) {
	}

	@Override
	public void close() {
	}

}
