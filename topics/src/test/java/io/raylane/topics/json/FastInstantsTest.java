package io.raylane.topics.json;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import com.fasterxml.jackson.annotation.JsonFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast instant text is the JDK's and Jackson's, byte for byte, and reads back the
 * same: each case against {@link Instant#toString()} / {@link Instant#parse} and against
 * a mapper of the same dialect without {@link FastInstants}.
 */
class FastInstantsTest {

	/** The dialect as Jackson alone reads and writes it. */
	private static final JsonMapper JACKSON = Json.dialect().build();

	private static final JsonMapper FAST = Json.mapper();

	/** Fixture: a record with instants, one of them in a list, one formatted. */
	record Stamped(Instant at, Instant other, List<Instant> history, @JsonFormat(shape = JsonFormat.Shape.STRING,
			pattern = "yyyy-MM-dd HH:mm", timezone = "UTC") Instant patterned) {
	}

	/**
	 * Edge cases of the table: epoch, fractions of each width, years 0 and 9999, out of
	 * range.
	 */
	private static final List<Instant> EDGES = List.of(Instant.EPOCH, Instant.ofEpochSecond(0, 1),
			Instant.ofEpochSecond(0, 1_000), Instant.ofEpochSecond(0, 1_000_000), Instant.ofEpochSecond(0, 999_999_999),
			Instant.ofEpochSecond(0, 100_000_000), Instant.ofEpochSecond(0, 120_000),
			Instant.ofEpochSecond(0, 123_456_780), Instant.ofEpochSecond(-1), Instant.ofEpochSecond(-1, 500_000_000),
			Instant.ofEpochSecond(IsoInstants.MIN_SECOND), Instant.ofEpochSecond(IsoInstants.MIN_SECOND, 1),
			Instant.ofEpochSecond(IsoInstants.MIN_SECOND - 1), Instant.ofEpochSecond(IsoInstants.MAX_SECOND),
			Instant.ofEpochSecond(IsoInstants.MAX_SECOND, 999_999_999),
			Instant.ofEpochSecond(IsoInstants.MAX_SECOND + 1), Instant.MIN, Instant.MAX,
			Instant.parse("2000-02-29T12:00:00Z"), Instant.parse("1900-03-01T00:00:00Z"),
			Instant.parse("0999-12-31T23:59:59.999Z"), Instant.parse("2026-12-03T16:25:00Z"),
			Instant.parse("2026-01-01T00:00:00Z"));

	@Test
	void writesWhatInstantToStringWrites() {
		for (Instant instant : samples()) {
			assertThat(IsoInstants.format(instant)).as("%s", instant).isEqualTo(instant.toString());
		}
	}

	@Test
	void readsWhatInstantParseReads() {
		int canonical = 0;
		for (Instant instant : samples()) {
			String text = instant.toString();
			Instant read = IsoInstants.parse(text);
			long seconds = instant.getEpochSecond();
			if (seconds >= IsoInstants.MIN_SECOND && seconds <= IsoInstants.MAX_SECOND) {
				assertThat(read).as(text).isEqualTo(Instant.parse(text));
				canonical++;
			}
			else {
				// a signed year: the JDK's way
				assertThat(read).as(text).isNull();
			}
		}
		assertThat(canonical).isGreaterThan(10_000);
	}

	@Test
	void fractionsOfAnyWidthReadAsTheJdkReadsThem() {
		String[] texts = { "2026-01-01T00:00:00.5Z", "2026-01-01T00:00:00.05Z", "2026-01-01T00:00:00.1234Z",
				"2026-01-01T00:00:00.12345Z", "2026-01-01T00:00:00.1234567Z", "2026-01-01T00:00:00.12345678Z",
				"2026-01-01T00:00:00.000000000Z", "2026-01-01T00:00:00.000Z" };
		for (String text : texts) {
			assertThat(IsoInstants.parse(text)).as(text).isEqualTo(Instant.parse(text));
		}
	}

	/** Texts of any other shape are left to the JDK (null here). */
	@ParameterizedTest
	@ValueSource(strings = { "2026-01-01t00:00:00Z", "2026-01-01T00:00:00z", "2026-01-01T00:00:00+00:00",
			"2026-01-01T24:00:00Z", "2016-12-31T23:59:60Z", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
			"2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01T00:60:00Z", " 2026-01-01T00:00:00Z",
			"2026-01-01T00:00:00Z ", "+10000-01-01T00:00:00Z", "-0001-01-01T00:00:00Z", "2026-01-01T00:00Z",
			"2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890Z", "2026-01-01T00:00:00,5Z",
			"2026-01-01 00:00:00Z", "2026-1-01T00:00:00Z", "20260101T000000Z", "1700000000", "" })
	void otherShapesAreTheJdksToRead(String text) {
		assertThat(IsoInstants.parse(text)).isNull();
	}

	@Test
	void theMapperWritesTheSameBytesAsJacksonAlone() {
		List<Instant> samples = samples();
		for (int i = 0; i + 2 < samples.size(); i += 3) {
			Stamped value = new Stamped(samples.get(i), samples.get(i + 1), List.of(samples.get(i + 2)),
					(i % 2 == 0) ? Instant.parse("2026-12-03T16:25:00Z") : null);
			assertThat(FAST.writeValueAsString(value)).isEqualTo(JACKSON.writeValueAsString(value));
		}
		assertThat(FAST.writeValueAsString(Instant.EPOCH)).isEqualTo(JACKSON.writeValueAsString(Instant.EPOCH))
			.isEqualTo("\"1970-01-01T00:00:00Z\"");
	}

	/**
	 * Every input the dialect may meet reads to the same instant, or fails with the same
	 * message, with and without the fast path.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "\"2026-01-01T00:00:00Z\"", "\"2026-01-01T00:00:00.5Z\"", "\"2026-01-01t00:00:00z\"",
			"\"2026-01-01T00:00:00+00:00\"", "\"2026-01-01T00:00:00+0000\"", "\"2026-01-01T00:00:00+02:00\"",
			"\"2026-01-01T24:00:00Z\"", "\"2016-12-31T23:59:60Z\"", "\"2026-02-30T00:00:00Z\"",
			"\"+10000-01-01T00:00:00Z\"", "\" 2026-01-01T00:00:00Z \"", "\"1700000000\"", "\"1700000000.5\"",
			"1700000000", "1700000000.25", "\"\"", "\"  \"", "\"yesterday\"", "null", "true" })
	void theMapperReadsAsJacksonAlone(String json) {
		String document = "{\"at\":" + json + "}";
		assertThat(outcome(FAST, document)).isEqualTo(outcome(JACKSON, document));
	}

	@Test
	void aPatternOnAPropertyStillApplies() {
		Stamped value = new Stamped(null, null, null, Instant.parse("2026-12-03T16:25:00Z"));
		String json = FAST.writeValueAsString(value);
		assertThat(json).isEqualTo("{\"patterned\":\"2026-12-03 16:25\"}").isEqualTo(JACKSON.writeValueAsString(value));
		assertThat(outcome(FAST, json)).isEqualTo(outcome(JACKSON, json));
	}

	private static String outcome(JsonMapper mapper, String document) {
		try {
			Stamped read = mapper.readValue(document, Stamped.class);
			return "read " + read.at() + " " + read.patterned();
		}
		catch (RuntimeException ex) {
			return ex.getClass().getName() + ": " + ex.getMessage();
		}
	}

	/** The edge cases, then 30,000 random instants around and across years 0–9999. */
	private static List<Instant> samples() {
		List<Instant> samples = new ArrayList<>(EDGES);
		Random random = new Random(17);
		long span = IsoInstants.MAX_SECOND - IsoInstants.MIN_SECOND;
		for (int i = 0; i < 30_000; i++) {
			long seconds = IsoInstants.MIN_SECOND - 1_000_000_000L + (long) (random.nextDouble() * (span + 2e9));
			int nano = switch (i % 4) {
				case 0 -> 0;
				case 1 -> random.nextInt(1_000) * 1_000_000;
				case 2 -> random.nextInt(1_000_000) * 1_000;
				default -> random.nextInt(1_000_000_000);
			};
			samples.add(Instant.ofEpochSecond(seconds, nano));
		}
		// instants near now, as the scheduler writes them
		for (int i = 0; i < 5_000; i++) {
			samples.add(Instant.parse("2026-01-01T00:00:00Z").plusMillis(random.nextInt(Integer.MAX_VALUE)));
		}
		return samples;
	}

}
