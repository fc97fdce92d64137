package io.raylane.topics.deadletter;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * A record some consumer could not read or act on, on {@code raylane.dead-letters} (key =
 * the original key). The consumer carries on; operators read these.
 *
 * @param schemaVersion version of this record's shape
 * @param topic the topic the record came from
 * @param partition its partition
 * @param offset its offset
 * @param key its key as text (null when it had none)
 * @param value its value: UTF-8 text, or base64 when it was not UTF-8 (see
 * {@code valueEncoding})
 * @param valueEncoding {@code utf-8} or {@code base64}
 * @param reason why it could not be handled
 * @param consumer which service (consumer group or application id) gave up on it
 * @param failedAt when
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type", defaultImpl = DeadLetter.class)
@JsonTypeName("DeadLetter")
public record DeadLetter(int schemaVersion, String topic, int partition, long offset, String key, String value,
		String valueEncoding, String reason, String consumer, Instant failedAt) {

	public static final int SCHEMA_VERSION = 1;

	/**
	 * Values longer than this are cut, so a huge garbage record cannot make a huge dead
	 * letter.
	 */
	static final int MAX_VALUE_BYTES = 64 * 1024;

	public DeadLetter {
		schemaVersion = (schemaVersion > 0) ? schemaVersion : SCHEMA_VERSION;
	}

	/** Builds the dead letter of a raw record. */
	public static DeadLetter of(String topic, int partition, long offset, String key, byte[] value, String reason,
			String consumer, Instant failedAt) {
		String text = null;
		String encoding = null;
		if (value != null) {
			byte[] kept = (value.length > MAX_VALUE_BYTES) ? java.util.Arrays.copyOf(value, MAX_VALUE_BYTES) : value;
			text = utf8(kept);
			encoding = "utf-8";
			if (text == null) {
				text = Base64.getEncoder().encodeToString(kept);
				encoding = "base64";
			}
		}
		return new DeadLetter(SCHEMA_VERSION, topic, partition, offset, key, text, encoding, reason, consumer,
				failedAt);
	}

	/**
	 * A short reason for an exception: its message and its cause's, never a stack trace.
	 */
	public static String reasonOf(Throwable ex) {
		StringBuilder reason = new StringBuilder(ex.getClass().getSimpleName());
		if (ex.getMessage() != null) {
			reason.append(": ").append(ex.getMessage());
		}
		if (ex.getCause() != null && ex.getCause() != ex && ex.getCause().getMessage() != null
				&& (ex.getMessage() == null || !ex.getMessage().contains(ex.getCause().getMessage()))) {
			reason.append(" (").append(ex.getCause().getMessage()).append(')');
		}
		return (reason.length() > 2000) ? reason.substring(0, 2000) : reason.toString();
	}

	private static String utf8(byte[] bytes) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

}
