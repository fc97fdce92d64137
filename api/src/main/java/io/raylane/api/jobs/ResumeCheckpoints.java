package io.raylane.api.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.raylane.api.jobs.ResumeRules.Checkpoints;

/**
 * Reads an earlier job's {@code checkpoints/} folder on the shared storage for
 * {@link ResumeRules}: the step in {@code latest_checkpointed_iteration.txt} and the
 * {@code global_step_<N>} folders (real folders only: a link is nobody's checkpoint). A
 * folder the API cannot read holds nothing.
 */
final class ResumeCheckpoints {

	static final String TRACKER = "latest_checkpointed_iteration.txt";

	private static final Pattern STEP = Pattern.compile("global_step_(\\d{1,9})");

	private ResumeCheckpoints() {
	}

	static Checkpoints read(Path checkpoints) {
		Set<Integer> steps = new HashSet<>();
		if (!Files.isDirectory(checkpoints, LinkOption.NOFOLLOW_LINKS)) {
			return new Checkpoints(null, steps);
		}
		try (Stream<Path> entries = Files.list(checkpoints)) {
			entries.filter((p) -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).forEach((p) -> {
				Matcher m = STEP.matcher(p.getFileName().toString());
				if (m.matches()) {
					steps.add(Integer.parseInt(m.group(1)));
				}
			});
		}
		catch (IOException ex) {
			return new Checkpoints(null, Set.of());
		}
		return new Checkpoints(latest(checkpoints.resolve(TRACKER)), steps);
	}

	private static Integer latest(Path tracker) {
		try {
			if (!Files.isRegularFile(tracker, LinkOption.NOFOLLOW_LINKS) || Files.size(tracker) > 64) {
				return null;
			}
			return Integer.valueOf(Files.readString(tracker, StandardCharsets.UTF_8).strip());
		}
		catch (IOException | NumberFormatException ex) {
			return null;
		}
	}

}
