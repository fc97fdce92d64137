package io.raylane.api.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import io.raylane.api.jobs.ResumeRules.Checkpoints;
import io.raylane.jobspec.checkpoint.CheckpointFolders;

/**
 * Reads an earlier job's {@code checkpoints/} folder on the shared storage for
 * {@link ResumeRules}: the step in {@code latest_checkpointed_iteration.txt} and the
 * {@code global_step_<N>} folders (real folders only: a link is nobody's checkpoint). A
 * folder the API cannot read holds nothing.
 */
final class ResumeCheckpoints {

	static final String TRACKER = CheckpointFolders.TRACKER;

	private ResumeCheckpoints() {
	}

	static Checkpoints read(Path checkpoints) {
		Set<Integer> steps = new HashSet<>();
		if (!Files.isDirectory(checkpoints, LinkOption.NOFOLLOW_LINKS)) {
			return new Checkpoints(null, steps);
		}
		try (Stream<Path> entries = Files.list(checkpoints)) {
			entries.filter((p) -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
				.forEach((p) -> CheckpointFolders.step(p.getFileName().toString()).ifPresent(steps::add));
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
			return CheckpointFolders.trackerStep(Files.readString(tracker, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			return null;
		}
	}

}
