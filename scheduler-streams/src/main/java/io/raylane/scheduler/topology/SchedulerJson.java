package io.raylane.scheduler.topology;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.raylane.topics.job.JobSpec;
import io.raylane.topics.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * {@link Json}'s mapper for the records the scheduler writes most (job rows, JobViews,
 * dispatch records), with one difference in how, not in what: a {@link JobSpec} is
 * encoded once and its JSON reused (issue 17 goal 4). A job's spec never changes while
 * the scheduler holds it, yet every row write, JobView and SubmitToRay of the job carried
 * it and encoded it again; it was the larger part of each.
 * <p>
 * The spec's text is {@link Json}'s own encoding of it, written in place as a raw value,
 * so every byte is what {@link Json#write} writes ({@code SchedulerJsonTest} compares).
 * The cache is per thread (a stream thread's), keyed by the spec instance: records are
 * immutable and the scheduler never changes a spec in place (a changed spec is a new
 * instance, e.g. {@link JobSpec#withDefaults()}), and a decoded job row is kept decoded
 * while it is in use ({@link SchedulerStores}' row cache), so the same instance comes
 * back. Bounded like that row cache.
 */
final class SchedulerJson {

	/** As many specs as {@link SchedulerStores} keeps rows decoded. */
	static final int CACHED_SPECS = SchedulerStores.JOB_CACHE_SIZE;

	private static final ThreadLocal<IdentityLru<JobSpec, RawJson>> SPECS = ThreadLocal
		.withInitial(() -> new IdentityLru<>(CACHED_SPECS));

	private static final JsonMapper MAPPER = Json.mapper()
		.rebuild()
		.addModule(new SimpleModule("raylane-cached-specs").addSerializer(JobSpec.class, new CachedSpec()))
		.build();

	private SchedulerJson() {
	}

	/**
	 * What {@link Json#write(Object)} writes for {@code value} (as bytes only: a spec's
	 * JSON is kept as the UTF-8 bytes the shared mapper wrote, which a byte generator
	 * copies as they are).
	 */
	static byte[] write(Object value) {
		return MAPPER.writeValueAsBytes(value);
	}

	/** How many specs this thread holds encoded (for tests). */
	static int cachedSpecs() {
		return SPECS.get().size();
	}

	/** A spec as its cached JSON, written raw in the place the spec's object goes. */
	static final class CachedSpec extends StdSerializer<JobSpec> {

		CachedSpec() {
			super(JobSpec.class);
		}

		@Override
		public void serialize(JobSpec spec, JsonGenerator gen, SerializationContext ctxt) throws JacksonException {
			IdentityLru<JobSpec, RawJson> cache = SPECS.get();
			RawJson json = cache.get(spec);
			if (json == null) {
				// the shared mapper's bytes, which write the spec the ordinary way
				json = new RawJson(Json.write(spec));
				cache.put(spec, json);
			}
			gen.writeRawValue(json);
		}

	}

	/**
	 * A bounded cache whose keys are compared by identity, the least recently used
	 * evicted ({@link java.util.IdentityHashMap} has no order, so each key is wrapped).
	 */
	static final class IdentityLru<K, V> {

		private final LinkedHashMap<Identity, V> entries;

		IdentityLru(int capacity) {
			this.entries = new LinkedHashMap<>(capacity * 4 / 3 + 1, 0.75f, true) {

				@Override
				protected boolean removeEldestEntry(Map.Entry<Identity, V> eldest) {
					return size() > capacity;
				}

			};
		}

		V get(K key) {
			return this.entries.get(new Identity(key));
		}

		void put(K key, V value) {
			this.entries.put(new Identity(key), value);
		}

		int size() {
			return this.entries.size();
		}

	}

	/**
	 * JSON already encoded as UTF-8, for a byte generator's raw write (it asks only for
	 * the unquoted UTF-8 forms); never a quoted string.
	 */
	static final class RawJson implements SerializableString {

		private final byte[] utf8;

		RawJson(byte[] utf8) {
			this.utf8 = utf8;
		}

		@Override
		public String getValue() {
			return new String(this.utf8, StandardCharsets.UTF_8);
		}

		@Override
		public int charLength() {
			return getValue().length();
		}

		@Override
		public byte[] asUnquotedUTF8() {
			return this.utf8.clone();
		}

		@Override
		public int appendUnquotedUTF8(byte[] buffer, int offset) {
			if (offset + this.utf8.length > buffer.length) {
				return -1;
			}
			System.arraycopy(this.utf8, 0, buffer, offset, this.utf8.length);
			return this.utf8.length;
		}

		@Override
		public int appendUnquoted(char[] buffer, int offset) {
			String value = getValue();
			if (offset + value.length() > buffer.length) {
				return -1;
			}
			value.getChars(0, value.length(), buffer, offset);
			return value.length();
		}

		@Override
		public int writeUnquotedUTF8(OutputStream out) throws IOException {
			out.write(this.utf8);
			return this.utf8.length;
		}

		@Override
		public int putUnquotedUTF8(ByteBuffer buffer) {
			if (this.utf8.length > buffer.remaining()) {
				return -1;
			}
			buffer.put(this.utf8);
			return this.utf8.length;
		}

		@Override
		public char[] asQuotedChars() {
			throw notQuoted();
		}

		@Override
		public byte[] asQuotedUTF8() {
			throw notQuoted();
		}

		@Override
		public int appendQuotedUTF8(byte[] buffer, int offset) {
			throw notQuoted();
		}

		@Override
		public int appendQuoted(char[] buffer, int offset) {
			throw notQuoted();
		}

		@Override
		public int writeQuotedUTF8(OutputStream out) {
			throw notQuoted();
		}

		@Override
		public int putQuotedUTF8(ByteBuffer buffer) {
			throw notQuoted();
		}

		private static UnsupportedOperationException notQuoted() {
			return new UnsupportedOperationException("raw JSON is written as it is, never as a quoted string");
		}

	}

	/** An object compared by identity. */
	private record Identity(Object value) {

		@Override
		public boolean equals(Object other) {
			return other instanceof Identity identity && identity.value == this.value;
		}

		@Override
		public int hashCode() {
			return System.identityHashCode(this.value);
		}

	}

}
