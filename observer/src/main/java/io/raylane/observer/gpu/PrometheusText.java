package io.raylane.observer.gpu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small parser of the Prometheus text exposition format, enough for a Ray node's {@code /metrics}: comment and
 * blank lines are skipped, sample lines are {@code name{k="v",...} value [timestamp]} with the label escapes
 * {@code \"}, {@code \\} and {@code \n}, and values may be {@code NaN}, {@code +Inf} or {@code -Inf}. A line that
 * cannot be read is skipped, so one odd series never hides the GPUs.
 */
public final class PrometheusText {

	/** One sample line. */
	public record Sample(String name, Map<String, String> labels, double value) {
	}

	private PrometheusText() {
	}

	public static List<Sample> parse(String text) {
		List<Sample> samples = new ArrayList<>();
		for (String line : text.split("\n")) {
			String trimmed = line.strip();
			if (trimmed.isEmpty() || trimmed.startsWith("#")) {
				continue;
			}
			Sample sample = parseLine(trimmed);
			if (sample != null) {
				samples.add(sample);
			}
		}
		return samples;
	}

	/** The sample of one line, or null when it is not a well-formed sample. */
	static Sample parseLine(String line) {
		int i = 0;
		while (i < line.length() && line.charAt(i) != '{' && !Character.isWhitespace(line.charAt(i))) {
			i++;
		}
		String name = line.substring(0, i);
		if (name.isEmpty()) {
			return null;
		}
		Map<String, String> labels = new LinkedHashMap<>();
		if (i < line.length() && line.charAt(i) == '{') {
			i = labels(line, i + 1, labels);
			if (i < 0) {
				return null;
			}
		}
		String[] rest = line.substring(i).strip().split("\\s+");
		if (rest.length < 1 || rest[0].isEmpty()) {
			return null;
		}
		Double value = value(rest[0]);
		return (value != null) ? new Sample(name, Map.copyOf(labels), value) : null;
	}

	/** Reads {@code k="v",...}} from {@code i}; returns the index after the closing brace, -1 when malformed. */
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
