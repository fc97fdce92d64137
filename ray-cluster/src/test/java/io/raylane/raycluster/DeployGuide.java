package io.raylane.raycluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code ray start} commands of the deployment guide ({@code docs/deploy.md}): the
 * fenced block after a {@code <!-- ray-start: NAME -->} line, split into words as a POSIX
 * shell would (quotes, backslash-newline; no expansions), with the guide's placeholders
 * ({@code <HEAD_IP>}, ...) left in or filled in.
 */
public final class DeployGuide {

	private DeployGuide() {
	}

	/** docs/deploy.md of this repository (next to ray-cluster/). */
	public static Path file() {
		Path scripts = RealRayPrerequisites.scripts()
			.orElseThrow(
					() -> new IllegalStateException("ray-cluster/ not found from " + Path.of("").toAbsolutePath()));
		return scripts.toAbsolutePath().getParent().resolve("docs/deploy.md");
	}

	/** The argv of the guide's command {@code name} ({@code head}, {@code worker}). */
	public static List<String> command(String name) {
		try {
			return command(Files.readString(file(), StandardCharsets.UTF_8), name);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The same with each placeholder replaced by its value. */
	public static List<String> command(String name, Map<String, String> placeholders) {
		List<String> argv = new ArrayList<>();
		for (String word : command(name)) {
			for (Map.Entry<String, String> p : placeholders.entrySet()) {
				word = word.replace(p.getKey(), p.getValue());
			}
			argv.add(word);
		}
		return argv;
	}

	static List<String> command(String markdown, String name) {
		String marker = "<!-- ray-start: " + name + " -->";
		int at = markdown.indexOf(marker);
		if (at < 0 || markdown.indexOf(marker, at + 1) >= 0) {
			throw new IllegalStateException("docs/deploy.md must have exactly one '" + marker + "'");
		}
		int open = markdown.indexOf("```", at);
		int start = markdown.indexOf('\n', open) + 1;
		int end = markdown.indexOf("\n```", start);
		if (open < 0 || start <= 0 || end < 0 || !markdown.substring(at + marker.length(), open).isBlank()) {
			throw new IllegalStateException("'" + marker + "' must be followed by a fenced code block");
		}
		return words(markdown.substring(start, end));
	}

	/**
	 * Shell words: whitespace separates, '…' and "…" quote, \ escapes, \newline joins.
	 */
	static List<String> words(String text) {
		List<String> words = new ArrayList<>();
		StringBuilder word = null;
		char quote = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (quote == '\'') {
				if (c == '\'') {
					quote = 0;
				}
				else {
					word.append(c);
				}
			}
			else if (c == '\\' && i + 1 < text.length()
					&& (quote == 0 || "\"\\$`\n".indexOf(text.charAt(i + 1)) >= 0)) {
				char next = text.charAt(++i);
				if (next != '\n') {
					word = (word != null) ? word : new StringBuilder();
					word.append(next);
				}
			}
			else if (quote == '"') {
				if (c == '"') {
					quote = 0;
				}
				else {
					word.append(c);
				}
			}
			else if (Character.isWhitespace(c)) {
				if (word != null) {
					words.add(word.toString());
					word = null;
				}
			}
			else {
				word = (word != null) ? word : new StringBuilder();
				if (c == '\'' || c == '"') {
					quote = c;
				}
				else {
					word.append(c);
				}
			}
		}
		if (quote != 0) {
			throw new IllegalArgumentException("unterminated " + quote + " in: " + text);
		}
		if (word != null) {
			words.add(word.toString());
		}
		return words;
	}

}
