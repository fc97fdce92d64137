package io.raylane.observer.diagnose;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.raylane.topics.job.Progress;

/**
 * Reads training progress from a verl driver log: the total from
 * {@code Total training steps: N}, the step from the last console metrics line
 * {@code step:N - key:value - …} (docs/reference/verl.md §4). Pure.
 */
public final class ProgressReader {

	static final Pattern TOTAL = Pattern.compile("Total training steps: (\\d{1,9})");

	static final Pattern STEP = Pattern.compile("(?<![\\w/])step:(\\d{1,9})(?:\\s+-|\\s*$)", Pattern.MULTILINE);

	private ProgressReader() {
	}

	/**
	 * @param previous the progress published before; its {@code updated_at} is kept while
	 * nothing moved
	 * @return the progress, or empty when the log has no step or total yet
	 */
	public static Optional<Progress> read(String log, Instant now, Progress previous) {
		if (log == null) {
			return Optional.ofNullable(previous);
		}
		Integer total = last(TOTAL.matcher(log));
		Integer step = last(STEP.matcher(log));
		if (total == null && step == null) {
			return Optional.ofNullable(previous);
		}
		if (previous != null && Objects.equals(previous.step(), step) && Objects.equals(previous.totalSteps(), total)) {
			return Optional.of(previous);
		}
		return Optional.of(new Progress(step, total, now));
	}

	private static Integer last(Matcher m) {
		Integer value = null;
		while (m.find()) {
			value = Integer.valueOf(m.group(1));
		}
		return value;
	}

}
