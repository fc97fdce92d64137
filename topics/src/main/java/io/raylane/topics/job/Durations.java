package io.raylane.topics.job;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations users write: {@code 90s}, {@code 10m}, {@code 2h30m}, {@code 1d},
 * or ISO-8601 {@code PT10M}.
 */
public final class Durations {

	private static final Pattern SHORT = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

	/**
	 * Texts already parsed: a cluster's jobs use a handful of timeouts, and the scheduler
	 * reads each queued job's on every planning cycle (issue 17). Cleared when full.
	 */
	private static final Map<String, Optional<Duration>> PARSED = new ConcurrentHashMap<>();

	private static final int MAX_PARSED = 1024;

	private Durations() {
	}

	public static Optional<Duration> parse(String text) {
		if (text == null) {
			return Optional.empty();
		}
		Optional<Duration> known = PARSED.get(text);
		if (known != null) {
			return known;
		}
		Optional<Duration> parsed = parseText(text);
		if (PARSED.size() >= MAX_PARSED) {
			PARSED.clear();
		}
		PARSED.put(text, parsed);
		return parsed;
	}

	private static Optional<Duration> parseText(String text) {
		if (text == null || text.isBlank()) {
			return Optional.empty();
		}
		String value = text.trim().toLowerCase(Locale.ROOT);
		if (value.startsWith("p")) {
			try {
				return Optional.of(Duration.parse(value.toUpperCase(Locale.ROOT)));
			}
			catch (DateTimeParseException ex) {
				return Optional.empty();
			}
		}
		Matcher m = SHORT.matcher(value);
		if (!m.matches() || value.isEmpty()) {
			return Optional.empty();
		}
		try {
			Duration d = Duration.ofDays(group(m, 1))
				.plusHours(group(m, 2))
				.plusMinutes(group(m, 3))
				.plusSeconds(group(m, 4));
			return Optional.of(d);
		}
		catch (ArithmeticException | NumberFormatException ex) {
			// a number past Long (99999999999999999999d) is no duration either, not a
			// server error (issue 12)
			return Optional.empty();
		}
	}

	private static long group(Matcher m, int i) {
		return (m.group(i) != null) ? Long.parseLong(m.group(i)) : 0;
	}

}
