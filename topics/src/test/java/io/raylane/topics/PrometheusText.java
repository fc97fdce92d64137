package io.raylane.topics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4) for tests: every sample line must parse, and
 * every sample's family must have been announced by a {@code # TYPE} line before it ({@code # HELP} is optional:
 * Micrometer leaves it out for meters without a description, e.g. Kafka's client metrics).
 */
public final class PrometheusText {

	private static final Pattern SAMPLE = Pattern
		.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+(-?\\d+))?$");

	private static final Pattern LABEL = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");

	private static final Pattern META = Pattern.compile("^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*)(?: (.*))?$");

	/** One sample line. */
	public record Sample(String name, Map<String, String> labels, double value) {
	}

	private PrometheusText() {
	}

	/** Every sample, in order; throws IllegalArgumentException naming the first line that is not valid. */
	public static List<Sample> parse(String text) {
		List<Sample> samples = new ArrayList<>();
		Map<String, String> types = new HashMap<>();
		for (String line : text.split("\n")) {
			if (line.isBlank()) {
				continue;
			}
			if (line.startsWith("#")) {
				Matcher meta = META.matcher(line);
				if (meta.matches() && "TYPE".equals(meta.group(1))) {
					types.put(meta.group(2), meta.group(3));
				}
				continue;
			}
			Matcher sample = SAMPLE.matcher(line);
			if (!sample.matches()) {
				throw new IllegalArgumentException("not a sample line: " + line);
			}
			String name = sample.group(1);
			String family = family(name, types);
			if (family == null) {
				throw new IllegalArgumentException("sample without # TYPE: " + line);
			}
			samples.add(new Sample(name, labels(sample.group(2), line), value(sample.group(3), line)));
		}
		return samples;
	}

	/** The names of the samples (histograms appear as their _bucket/_count/_sum series). */
	public static Set<String> names(String text) {
		Set<String> names = new TreeSet<>();
		parse(text).forEach((s) -> names.add(s.name()));
		return names;
	}

	private static String family(String name, Map<String, String> types) {
		if (types.containsKey(name)) {
			return name;
		}
		for (String suffix : List.of("_bucket", "_count", "_sum", "_total", "_created", "_max")) {
			if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
				return name.substring(0, name.length() - suffix.length());
			}
		}
		return null;
	}

	private static Map<String, String> labels(String text, String line) {
		Map<String, String> labels = new LinkedHashMap<>();
		if (text == null || text.isEmpty()) {
			return labels;
		}
		Matcher label = LABEL.matcher(text);
		int end = 0;
		while (label.lookingAt()) {
			labels.put(label.group(1), label.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
			end = label.end();
			label.region(end, text.length());
		}
		if (end != text.length()) {
			throw new IllegalArgumentException("bad labels in: " + line);
		}
		return labels;
	}

	private static double value(String text, String line) {
		return switch (text) {
			case "+Inf" -> Double.POSITIVE_INFINITY;
			case "-Inf" -> Double.NEGATIVE_INFINITY;
			case "NaN" -> Double.NaN;
			default -> {
				try {
					yield Double.parseDouble(text);
				}
				catch (NumberFormatException ex) {
					throw new IllegalArgumentException("bad value in: " + line, ex);
				}
			}
		};
	}

}
