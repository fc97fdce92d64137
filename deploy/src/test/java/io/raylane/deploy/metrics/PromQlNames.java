package io.raylane.deploy.metrics;

import java.util.Set;
import java.util.TreeSet;

/**
 * The metric names a PromQL expression reads, found by a small PromQL-aware tokenizer:
 * strings, label matchers, range and subquery brackets, durations, numbers and Grafana
 * {@code $variables} are skipped, and so are functions (a name followed by a
 * parenthesis), aggregation operators, keywords ({@code by}, {@code without}, {@code on},
 * {@code ignoring}, {@code group_left}, {@code group_right}, with their label lists) and
 * the set operators. What remains are metric names. Good for the dashboards and rules of
 * this repository, not a full PromQL parser.
 */
public final class PromQlNames {

	private static final Set<String> LABEL_LIST_KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
			"group_right");

	private static final Set<String> WORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan",
			"sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
			"quantile", "limitk", "limit_ratio");

	private PromQlNames() {
	}

	public static Set<String> of(String expr) {
		String text = expr
			// strings first: they may hold braces, brackets and dollars
			.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`", "\"\"")
			.replaceAll("\\$\\{[^}]*}|\\$[a-zA-Z_][a-zA-Z0-9_]*", " ")
			.replaceAll("\\{[^}]*}", " ")
			.replaceAll("\\[[^]]*]", " ");
		Set<String> names = new TreeSet<>();
		int i = 0;
		while (i < text.length()) {
			char c = text.charAt(i);
			if (Character.isDigit(c) || (c == '.' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1)))) {
				// a number or a duration: 0.95, 1e3, 0x1f, 5m, 1h30m
				while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '.'
						|| text.charAt(i) == '_')) {
					i++;
				}
			}
			else if (Character.isLetter(c) || c == '_' || c == ':') {
				int start = i;
				while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
						|| text.charAt(i) == ':')) {
					i++;
				}
				String word = text.substring(start, i);
				int next = skipSpaces(text, i);
				boolean call = next < text.length() && text.charAt(next) == '(';
				if (LABEL_LIST_KEYWORDS.contains(word.toLowerCase())) {
					i = call ? closingParen(text, next) + 1 : i;
				}
				else if (!call && !WORDS.contains(word.toLowerCase())) {
					names.add(word);
				}
			}
			else {
				i++;
			}
		}
		return names;
	}

	private static int skipSpaces(String text, int from) {
		int i = from;
		while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
			i++;
		}
		return i;
	}

	private static int closingParen(String text, int open) {
		int depth = 0;
		for (int i = open; i < text.length(); i++) {
			if (text.charAt(i) == '(') {
				depth++;
			}
			else if (text.charAt(i) == ')' && --depth == 0) {
				return i;
			}
		}
		throw new IllegalArgumentException("unbalanced parentheses in: " + text);
	}

}
