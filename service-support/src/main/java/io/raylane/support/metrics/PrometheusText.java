package io.raylane.support.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A small parser of the Prometheus text exposition format (0.0.4): comment and blank
 * lines are skipped, sample lines are {@code name{k="v",...} value [timestamp]} with the
 * label escapes {@code \"}, {@code \\} and {@code \n}, and values may be {@code NaN},
 * {@code +Inf} or {@code -Inf}. Two readings of one grammar:
 * <ul>
 * <li>{@link #parse}: the observer's, of a Ray node's {@code /metrics}: a line that
 * cannot be read is skipped, so one odd series never hides the GPUs;</li>
 * <li>{@link #parseStrict}: the tests', of what a service or the Ray stand-in exports:
 * every sample line must be valid and its family announced by a {@code # TYPE} line
 * before it ({@code # HELP} is optional: Micrometer leaves it out for meters without a
 * description, e.g. Kafka's client metrics).</li>
 * </ul>
 */
public final class PrometheusText {

	private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

	private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

	private static final Pattern TIMESTAMP = Pattern.compile("-?\\d+");

	/** Suffixes of the series of one family: histograms, summaries, counters. */
	private static final List<String> FAMILY_SUFFIXES = List.of("_bucket", "_count", "_sum", "_total", "_created",
			"_max");

	/** One sample line. */
	public record Sample(String name, Map<String, String> labels, double value) {
	}

	private PrometheusText() {
	}

	/** Every well-formed sample, in order; lines that are not are skipped. */
	public static List<Sample> parse(String text) {
		List<Sample> samples = new ArrayList<>();
		for (String line : text.split("\n")) {
			String trimmed = line.strip();
			if (trimmed.isEmpty() || trimmed.startsWith("#")) {
				continue;
			}
			Sample sample = parseLine(trimmed, false);
			if (sample != null) {
				samples.add(sample);
			}
		}
		return samples;
	}

	/**
	 * Every sample, in order.
	 * @throws IllegalArgumentException naming the first line that is not a valid sample,
	 * or whose family has no {@code # TYPE}
	 */
	public static List<Sample> parseStrict(String text) {
		List<Sample> samples = new ArrayList<>();
		Set<String> typed = new HashSet<>();
		for (String line : text.split("\n")) {
			if (line.isBlank()) {
				continue;
			}
			if (line.startsWith("#")) {
				String[] meta = line.split(" ", 4);
				if (meta.length >= 3 && "TYPE".equals(meta[1]) && METRIC_NAME.matcher(meta[2]).matches()) {
					typed.add(meta[2]);
				}
				continue;
			}
			Sample sample = parseLine(line, true);
			if (sample == null) {
				throw new IllegalArgumentException("not a sample line: " + line);
			}
			if (!isTyped(sample.name(), typed)) {
				throw new IllegalArgumentException("sample without # TYPE: " + line);
			}
			samples.add(sample);
		}
		return samples;
	}

	/**
	 * The names of the samples of {@link #parseStrict} (histograms appear as their
	 * _bucket/_count/_sum series).
	 */
	public static Set<String> names(String text) {
		Set<String> names = new TreeSet<>();
		parseStrict(text).forEach((s) -> names.add(s.name()));
		return names;
	}

	private static boolean isTyped(String name, Set<String> typed) {
		if (typed.contains(name)) {
			return true;
		}
		for (String suffix : FAMILY_SUFFIXES) {
			if (name.endsWith(suffix) && typed.contains(name.substring(0, name.length() - suffix.length()))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The sample of one line, or null when it is not a well-formed sample; {@code strict}
	 * also checks the metric and label names and that only a timestamp may follow the
	 * value.
	 */
	static Sample parseLine(String line, boolean strict) {
		int i = 0;
		while (i < line.length() && line.charAt(i) != '{' && !Character.isWhitespace(line.charAt(i))) {
			i++;
		}
		String name = line.substring(0, i);
		if (name.isEmpty() || (strict && !METRIC_NAME.matcher(name).matches())) {
			return null;
		}
		Map<String, String> labels = new LinkedHashMap<>();
		if (i < line.length() && line.charAt(i) == '{') {
			i = labels(line, i + 1, labels);
			if (i < 0 || (strict && !labels.keySet().stream().allMatch((k) -> LABEL_NAME.matcher(k).matches()))) {
				return null;
			}
		}
		String[] rest = line.substring(i).strip().split("\\s+");
		if (rest.length < 1 || rest[0].isEmpty()) {
			return null;
		}
		if (strict && (rest.length > 2 || (rest.length == 2 && !TIMESTAMP.matcher(rest[1]).matches()))) {
			return null;
		}
		Double value = value(rest[0]);
		return (value != null) ? new Sample(name, Map.copyOf(labels), value) : null;
	}

	/**
	 * Reads {@code k="v",...}} from {@code i}; returns the index after the closing brace,
	 * -1 when malformed.
	 */
	private static int labels(String line, int i, Map<String, String> labels) {
		while (true) {
			while (i < line.length() && (line.charAt(i) == ',' || line.charAt(i) == ' ')) {
				i++;
			}
			if (i >= line.length()) {
				return -1;
			}
			if (line.charAt(i) == '}') {
				return i + 1;
			}
			int eq = line.indexOf('=', i);
			if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
				return -1;
			}
			String key = line.substring(i, eq).strip();
			StringBuilder value = new StringBuilder();
			int j = eq + 2;
			for (; j < line.length() && line.charAt(j) != '"'; j++) {
				char c = line.charAt(j);
				if (c == '\\' && j + 1 < line.length()) {
					char next = line.charAt(++j);
					value.append((next == 'n') ? '\n' : next);
				}
				else {
					value.append(c);
				}
			}
			if (j >= line.length()) {
				return -1;
			}
			labels.put(key, value.toString());
			i = j + 1;
		}
	}

	private static Double value(String text) {
		switch (text) {
			case "NaN":
				return Double.NaN;
			case "+Inf", "Inf":
				return Double.POSITIVE_INFINITY;
			case "-Inf":
				return Double.NEGATIVE_INFINITY;
			default:
				try {
					return Double.parseDouble(text);
				}
				catch (NumberFormatException ex) {
					return null;
				}
		}
	}

}
