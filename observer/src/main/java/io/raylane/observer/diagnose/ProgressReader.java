package io.raylane.observer.diagnose;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.raylane.topics.job.Progress;

/**
 * Reads training progress from the tail of a verl driver log (docs/reference/verl.md §4):
 * the total from {@code Total training steps: N} (PPO/GRPO print it,
 * {@code verl/trainer/ppo/ray_trainer.py}; SFT logs it at INFO,
 * {@code verl/trainer/sft_trainer*.py}, which Raylane turns on), the step and the metrics
 * from the last console metrics line {@code step:N - key:value - …}
 * ({@code verl/utils/logger/aggregate_logger.py} {@code concat_dict_to_str}). The tail is
 * bounded, so the total, logged once near the start, scrolls out of it: what the tail
 * lacks is carried over from the previous reading (issue 13 item 6). Pure.
 */
public final class ProgressReader {

	static final Pattern TOTAL = Pattern.compile("Total training steps: (\\d{1,9})");

	static final Pattern STEP_LINE = Pattern.compile("(?<![\\w/])step:(\\d{1,9})((?: - [^\\n]*)?)[ \\t\\r]*$",
			Pattern.MULTILINE);

	/** At most this many metrics per reading: the JobView stays small. */
	static final int MAX_METRICS = 24;

	static final int MAX_KEY_LENGTH = 100;

	/**
	 * The metrics a reader looks for first (PPO/GRPO's score, reward and losses, SFT's
	 * loss); then the line's others in its order.
	 */
	static final List<String> PREFERRED = List.of("critic/score/mean", "critic/rewards/mean", "actor/pg_loss",
			"actor/entropy", "actor/kl_loss", "critic/vf_loss", "response_length/mean", "train/loss", "train/lr",
			"val/loss", "timing_s/step");

	private ProgressReader() {
	}

	/**
	 * @param previous the progress published before; its {@code updated_at} is kept while
	 * nothing moved, and its total and step stand where the tail has none
	 * @return the progress, or empty when neither the log nor the previous reading has a
	 * step or total
	 */
	public static Optional<Progress> read(String log, Instant now, Progress previous) {
		if (log == null) {
			return Optional.ofNullable(previous);
		}
		Integer total = last(TOTAL.matcher(log));
		Matcher line = lastMatch(STEP_LINE.matcher(log));
		Integer step = (line != null) ? Integer.valueOf(line.group(1)) : null;
		Map<String, Double> metrics = (line != null) ? metrics(line.group(2)) : null;
		if (previous != null) {
			total = (total != null) ? total : previous.totalSteps();
			if (step == null) {
				step = previous.step();
				metrics = previous.metrics();
			}
		}
		if (total == null && step == null) {
			return Optional.ofNullable(previous);
		}
		if (previous != null && Objects.equals(previous.step(), step) && Objects.equals(previous.totalSteps(), total)
				&& Objects.equals(previous.metrics(), metrics)) {
			return Optional.of(previous);
		}
		boolean moved = previous == null || !Objects.equals(previous.step(), step)
				|| !Objects.equals(previous.totalSteps(), total);
		return Optional.of(new Progress(step, total, moved ? now : previous.updatedAt(), metrics));
	}

	/**
	 * The numeric {@code key:value} pairs of {@code " - k:v - k:v"}; keys may hold
	 * {@code /} and {@code :}, so each pair splits at its last colon.
	 */
	static Map<String, Double> metrics(String pairs) {
		Map<String, Double> all = new LinkedHashMap<>();
		for (String pair : pairs.split(" - ")) {
			int colon = pair.lastIndexOf(':');
			if (colon <= 0 || colon > MAX_KEY_LENGTH) {
				continue;
			}
			Double value = number(pair.substring(colon + 1).strip());
			if (value != null) {
				all.putIfAbsent(pair.substring(0, colon).strip(), value);
			}
		}
		Map<String, Double> kept = new LinkedHashMap<>();
		PREFERRED.stream().filter(all::containsKey).forEach((k) -> kept.put(k, all.get(k)));
		all.forEach((k, v) -> {
			if (kept.size() < MAX_METRICS) {
				kept.putIfAbsent(k, v);
			}
		});
		return kept.isEmpty() ? null : kept;
	}

	/**
	 * A finite number as Python's {@code pprint.pformat} writes one ({@code 0.5},
	 * {@code 1e-05}, {@code 3}, {@code True}); NaN and infinities are left out.
	 */
	private static Double number(String text) {
		if (text.equals("True") || text.equals("False")) {
			return text.equals("True") ? 1.0 : 0.0;
		}
		if (text.isEmpty() || text.length() > 40 || !(Character.isDigit(text.charAt(0)) || text.charAt(0) == '-')) {
			return null;
		}
		try {
			double value = Double.parseDouble(text);
			return Double.isFinite(value) ? value : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	private static Integer last(Matcher m) {
		Integer value = null;
		while (m.find()) {
			value = Integer.valueOf(m.group(1));
		}
		return value;
	}

	private static Matcher lastMatch(Matcher m) {
		int start = -1;
		while (m.find()) {
			start = m.start();
		}
		return (start >= 0 && m.find(start)) ? m : null;
	}

}
