package io.raylane.topics.json;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ext.javatime.deser.InstantDeserializer;
import tools.jackson.databind.ext.javatime.ser.InstantSerializer;
import tools.jackson.databind.module.SimpleModule;

import com.fasterxml.jackson.annotation.JsonFormat;

/**
 * Jackson's own {@link Instant} serializer and deserializer, but for how they turn the
 * ISO-8601 text into an instant and back: {@link IsoInstants} instead of
 * {@code DateTimeFormatter} (issue 17 goal 4). Everything else is inherited: the
 * timestamp forms, {@code @JsonFormat} on a property (a property with a pattern gets
 * Jackson's plain instance, as before), the errors. The text written is exactly
 * {@link Instant#toString()}, as Jackson writes it with no format set; a text read is the
 * instant {@code ISO_INSTANT} reads, and any text but the canonical form goes Jackson's
 * way ({@code FastInstantsTest} compares both with Jackson's own).
 */
final class FastInstants extends SimpleModule {

	FastInstants() {
		super("raylane-fast-instants");
		addSerializer(Instant.class, new Writer());
		addDeserializer(Instant.class, new Reader());
	}

	/** Writes what Jackson's {@link InstantSerializer} writes. */
	static final class Writer extends InstantSerializer {

		Writer() {
			super();
		}

		private Writer(Writer base, DateTimeFormatter formatter, Boolean useTimestamp, Boolean useNanoseconds,
				JsonFormat.Shape shape) {
			super(base, formatter, useTimestamp, useNanoseconds, shape);
		}

		// Jackson makes a configured copy for each property (its shape, features): the
		// copy stays this class, as Jackson's own copy would be with these arguments

		@Override
		protected Writer withFormat(DateTimeFormatter formatter, Boolean useTimestamp, JsonFormat.Shape shape) {
			return new Writer(this, formatter, useTimestamp, this._useNanoseconds, shape);
		}

		@Override
		protected Writer withFeatures(Boolean writeZoneId, Boolean writeNanoseconds) {
			return new Writer(this, this._formatter, this._useTimestamp, writeNanoseconds, this._shape);
		}

		@Override
		protected String formatValue(Instant value, SerializationContext ctxt) {
			// with no format set Jackson writes the instant's toString(), which is
			// ISO_INSTANT
			return (this._formatter == null) ? IsoInstants.format(value) : super.formatValue(value, ctxt);
		}

	}

	/** Reads what Jackson's {@link InstantDeserializer#INSTANT} reads. */
	static final class Reader extends InstantDeserializer<Instant> {

		Reader() {
			super(InstantDeserializer.INSTANT, DateTimeFormatter.ISO_INSTANT);
		}

		@Override
		protected Instant _fromString(JsonParser p, DeserializationContext ctxt, String text) throws JacksonException {
			// Jackson reads ISO_INSTANT's text and leaves an Instant as it is (no zone to
			// adjust to); a canonical text reads the same here, any other goes its way
			Instant canonical = (this._formatter == DateTimeFormatter.ISO_INSTANT) ? IsoInstants.parse(text) : null;
			return (canonical != null) ? canonical : super._fromString(p, ctxt, text);
		}

	}

}
