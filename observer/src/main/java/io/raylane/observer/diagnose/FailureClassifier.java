package io.raylane.observer.diagnose;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.raylane.topics.job.Failure;

/**
 * Says why a job failed, from its driver log and Ray's message. Pure and table-driven
 * ({@link FailurePhrases}): the first line (in log order, then the message) that holds a
 * root phrase decides the category, so a trailing {@code ActorDiedError} never hides the
 * cause; evidence is that line and up to two more of the same category. Without a root
 * phrase: the last Python exception line of a traceback ({@code user_code}), else a
 * worker-crash line, else Ray's message ({@code unknown}).
 */
public final class FailureClassifier {

	static final int MAX_EVIDENCE = 3;

	static final int MAX_LINE = 500;

	/**
	 * The last line of a Python traceback: {@code pkg.Error: text} or
	 * {@code Error: text}.
	 */
	private static final Pattern EXCEPTION = Pattern
		.compile("^(?:\\(.*?\\)\\s*)?([A-Za-z_][\\w.]*(?:Error|Exception)):.*");

	private FailureClassifier() {
	}

	public static Failure classify(String driverLog, String rayMessage) {
		List<String> lines = new ArrayList<>();
		if (driverLog != null) {
			driverLog.lines().forEach(lines::add);
		}
		if (rayMessage != null) {
			rayMessage.lines().forEach(lines::add);
		}
		for (int i = 0; i < lines.size(); i++) {
			Optional<FailurePhrases.Category> category = categoryOf(lines.get(i));
			if (category.isPresent()) {
				return new Failure(category.get().name(), evidence(lines, i, category.get()), category.get().hint());
			}
		}
		boolean traceback = lines.stream().anyMatch((l) -> l.contains("Traceback (most recent call last)"));
		for (int i = lines.size() - 1; traceback && i >= 0; i--) {
			String line = lines.get(i).strip();
			if (EXCEPTION.matcher(line).matches() && FailurePhrases.TRAILING.stream().noneMatch(line::contains)) {
				return new Failure("user_code", List.of(clip(line)),
						"the job's Python code raised; the traceback in the driver log shows where");
			}
		}
		for (String line : lines) {
			if (FailurePhrases.TRAILING.stream().anyMatch(line::contains)) {
				return new Failure("unknown", List.of(clip(line.strip())),
						"a Ray worker died without a recognised cause; read the worker's log for the first error");
			}
		}
		List<String> message = (rayMessage != null && !rayMessage.isBlank())
				? List.of(clip(rayMessage.strip().lines().findFirst().orElse(""))) : List.of();
		return new Failure("unknown", message, "no known failure phrase in the driver log; read logs/driver.log");
	}

	private static Optional<FailurePhrases.Category> categoryOf(String line) {
		return FailurePhrases.ROOT.stream().filter((c) -> c.matches(line)).findFirst();
	}

	private static List<String> evidence(List<String> lines, int first, FailurePhrases.Category category) {
		List<String> evidence = new ArrayList<>();
		for (int i = first; i < lines.size() && evidence.size() < MAX_EVIDENCE; i++) {
			String line = clip(lines.get(i).strip());
			if (categoryOf(lines.get(i)).filter(category::equals).isPresent() && !evidence.contains(line)) {
				evidence.add(line);
			}
		}
		return evidence;
	}

	private static String clip(String line) {
		return (line.length() > MAX_LINE) ? line.substring(0, MAX_LINE) + "…" : line;
	}

}
