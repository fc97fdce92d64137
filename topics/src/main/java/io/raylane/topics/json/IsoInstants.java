package io.raylane.topics.json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * ISO-8601 text of an {@link Instant} without {@code DateTimeFormatter}'s general path
 * (issue 17 goal 4: formatting and parsing the instants of a job row were about a sixth
 * of the scheduler's JSON work). Both directions cover the years 0000–9999 in the form
 * {@link Instant#toString()} writes; anything else is left to the JDK.
 * <ul>
 * <li>{@link #format(Instant)} is exactly {@link Instant#toString()}
 * ({@code DateTimeFormatter.ISO_INSTANT}): {@code uuuu-MM-ddTHH:mm:ss}, a fraction of 3,
 * 6 or 9 digits when the nanoseconds are not zero (as few groups of three as hold them),
 * then {@code Z}.</li>
 * <li>{@link #parse(String)} reads only that canonical shape (upper-case {@code T} and
 * {@code Z}, a fraction of 1 to 9 digits, hours 00–23, seconds 00–59, a real date) and
 * answers null for every other text, which the caller then reads the JDK's way (lower
 * case, offsets, leap seconds, 24:00, signed years, errors).</li>
 * </ul>
 */
final class IsoInstants {

	/** 0000-01-01T00:00:00Z. */
	static final long MIN_SECOND = -62_167_219_200L;

	/** 9999-12-31T23:59:59Z. */
	static final long MAX_SECOND = 253_402_300_799L;

	private static final int SECONDS_PER_DAY = 86_400;

	private IsoInstants() {
	}

	/** The text {@link Instant#toString()} gives for {@code instant}. */
	static String format(Instant instant) {
		long seconds = instant.getEpochSecond();
		if (seconds < MIN_SECOND || seconds > MAX_SECOND) {
			return instant.toString();
		}
		long day = Math.floorDiv(seconds, SECONDS_PER_DAY);
		int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
		LocalDate date = LocalDate.ofEpochDay(day);
		int nano = instant.getNano();
		char[] text = new char[30];
		int at = digits(text, 0, date.getYear(), 4);
		text[at++] = '-';
		at = digits(text, at, date.getMonthValue(), 2);
		text[at++] = '-';
		at = digits(text, at, date.getDayOfMonth(), 2);
		text[at++] = 'T';
		at = digits(text, at, secondOfDay / 3600, 2);
		text[at++] = ':';
		at = digits(text, at, (secondOfDay / 60) % 60, 2);
		text[at++] = ':';
		at = digits(text, at, secondOfDay % 60, 2);
		if (nano != 0) {
			text[at++] = '.';
			// ISO_INSTANT prints the fraction in groups of three, as many as it needs
			if (nano % 1_000_000 == 0) {
				at = digits(text, at, nano / 1_000_000, 3);
			}
			else if (nano % 1_000 == 0) {
				at = digits(text, at, nano / 1_000, 6);
			}
			else {
				at = digits(text, at, nano, 9);
			}
		}
		text[at++] = 'Z';
		return new String(text, 0, at);
	}

	/**
	 * The instant of a canonical ISO-8601 text ({@code uuuu-MM-ddTHH:mm:ss[.f…]Z}, year
	 * 0000–9999), or null when {@code text} has any other shape or no such date exists.
	 */
	static Instant parse(String text) {
		int length = text.length();
		// uuuu-MM-ddTHH:mm:ssZ is 20 characters; a fraction adds 2 to 10
		if (length < 20 || length > 30 || text.charAt(length - 1) != 'Z' || text.charAt(4) != '-'
				|| text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
				|| text.charAt(16) != ':') {
			return null;
		}
		int year = number(text, 0, 4);
		int month = number(text, 5, 2);
		int day = number(text, 8, 2);
		int hour = number(text, 11, 2);
		int minute = number(text, 14, 2);
		int second = number(text, 17, 2);
		if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
				|| second > 59) {
			return null;
		}
		int nano = 0;
		if (length > 20) {
			int fraction = length - 21;
			if (text.charAt(19) != '.' || fraction < 1) {
				return null;
			}
			int value = number(text, 20, fraction);
			if (value < 0) {
				return null;
			}
			nano = value;
			for (int i = fraction; i < 9; i++) {
				nano *= 10;
			}
		}
		long epochDay;
		try {
			epochDay = LocalDate.of(year, month, day).toEpochDay();
		}
		catch (DateTimeException ex) {
			// no such date (e.g. February 30th): the JDK's parse reports it
			return null;
		}
		return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nano);
	}

	/** The decimal value of {@code count} ASCII digits at {@code from}, or -1. */
	private static int number(String text, int from, int count) {
		int value = 0;
		for (int i = from; i < from + count; i++) {
			char c = text.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

	/** Writes {@code value} zero-padded to {@code width} digits; the next index. */
	private static int digits(char[] text, int at, int value, int width) {
		for (int i = at + width - 1; i >= at; i--) {
			text[i] = (char) ('0' + value % 10);
			value /= 10;
		}
		return at + width;
	}

}
