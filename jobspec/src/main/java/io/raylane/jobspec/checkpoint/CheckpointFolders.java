package io.raylane.jobspec.checkpoint;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How verl lays out a job's {@code checkpoints/} folder (docs/reference/verl.md §3): one
 * {@code global_step_<N>} folder per save, and {@code latest_checkpointed_iteration.txt}
 * naming the last complete one. The names the submitter's retention, the API's resume
 * rules and its cleanup (issue 16) all read.
 */
public final class CheckpointFolders {

	/** The tracker file verl writes after a step's folder is complete. */
	public static final String TRACKER = "latest_checkpointed_iteration.txt";

	private static final Pattern STEP = Pattern.compile("global_step_(\\d{1,9})");

	private CheckpointFolders() {
	}

	/** The step of a folder named {@code global_step_<N>}, if it is one. */
	public static Optional<Integer> step(String name) {
		Matcher m = STEP.matcher(name);
		return m.matches() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
	}

	/** The folder name of {@code step}. */
	public static String folder(int step) {
		return "global_step_" + step;
	}

	/** The tracker's content as a step, or null when it is not one. */
	public static Integer trackerStep(String content) {
		try {
			return (content != null) ? Integer.valueOf(content.strip()) : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
