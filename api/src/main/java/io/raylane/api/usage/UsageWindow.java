package io.raylane.api.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import io.raylane.api.errors.ApiException;

/**
 * The half-open time window {@code [from, to)} of a usage query, parsed from the
 * {@code from} and {@code to} parameters: an ISO-8601 instant
 * ({@code 2026-11-01T08:00:00Z}, or with an offset), or a plain date ({@code 2026-11-01},
 * its midnight UTC). Absent {@code from} is the beginning of time (the epoch), absent
 * {@code to} is now.
 *
 * @param from start, inclusive
 * @param to end, exclusive
 */
record UsageWindow(Instant from, Instant to) {

	/** Where accounting ends: the first instant of the year 10000. */
	static final Instant END = Instant.parse("+10000-01-01T00:00:00Z");

	/**
	 * Parses both bounds; a bad bound or {@code from >= to} is a 400 naming the field.
	 */
	static UsageWindow parse(String from, String to, Instant now) {
		Instant start = (from == null || from.isBlank()) ? Instant.EPOCH : instant("from", from.trim());
		Instant end = (to == null || to.isBlank()) ? now : instant("to", to.trim());
		if (!start.isBefore(end)) {
			throw ApiException.badRequest("invalid_parameter", "from",
					"from (" + start + ") must be before to (" + end + ")");
		}
		return new UsageWindow(start, end);
	}

	private static Instant instant(String field, String text) {
		Instant instant;
		try {
			if (text.length() == 10) {
				instant = LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
			}
			else {
				instant = OffsetDateTime.parse(text).toInstant();
			}
		}
		catch (DateTimeParseException ex) {
			throw ApiException.badRequest("invalid_parameter", field,
					"'" + text + "' is neither an ISO-8601 instant (2026-11-01T08:00:00Z) nor a date (2026-11-01)");
		}
		// issue 12: ISO-8601 reaches year 999999999, past epoch milliseconds
		if (instant.isBefore(Instant.EPOCH) || !instant.isBefore(END)) {
			throw ApiException.badRequest("invalid_parameter", field,
					"'" + text + "' must lie between 1970-01-01 and 9999-12-31");
		}
		return instant;
	}

}
