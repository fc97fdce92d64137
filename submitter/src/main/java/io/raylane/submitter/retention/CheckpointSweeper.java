package io.raylane.submitter.retention;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.raylane.jobspec.checkpoint.CheckpointFolders;
import io.raylane.jobspec.checkpoint.RetentionPlan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sweeps one job's {@code <jobDir>/checkpoints/}: deletes the {@code global_step_<N>}
 * folders the {@link RetentionPlan} gives up. verl's own retention keys only remove the
 * {@code actor/} and {@code critic/} sub-folders and forget checkpoints from before a
 * resume (docs/reference/verl.md §3), so Raylane does it. Never follows symlinks out of
 * the folder; a failure leaves the rest for the next sweep.
 */
public final class CheckpointSweeper {

	private static final Logger log = LoggerFactory.getLogger(CheckpointSweeper.class);

	static final String TRACKER = CheckpointFolders.TRACKER;

	/**
	 * Keeps the last {@code keepLast} steps of {@code checkpoints}; a missing folder is
	 * swept as empty.
	 */
	public SweepResult sweep(String jobId, Path checkpoints, int keepLast) {
		return sweep(jobId, checkpoints, keepLast, Set.of());
	}

	/**
	 * Keeps the last {@code keepLast} steps of {@code checkpoints} and the {@code pinned}
	 * ones (steps other jobs resume from).
	 */
	public SweepResult sweep(String jobId, Path checkpoints, int keepLast, Set<Integer> pinned) {
		if (!Files.isDirectory(checkpoints, LinkOption.NOFOLLOW_LINKS)) {
			return new SweepResult(jobId, List.of(), 0);
		}
		Map<Integer, Path> steps = new HashMap<>();
		try (Stream<Path> entries = Files.list(checkpoints)) {
			entries.filter((p) -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
				.forEach((p) -> CheckpointFolders.step(p.getFileName().toString())
					.ifPresent((step) -> steps.put(step, p)));
		}
		catch (IOException ex) {
			log.warn("cannot list the checkpoints of {}: {}", jobId, ex.getMessage());
			return new SweepResult(jobId, List.of(), 0);
		}
		List<String> deleted = new ArrayList<>();
		long freed = 0;
		for (Integer step : RetentionPlan.toDelete(steps.keySet(), keepLast, latest(checkpoints), pinned)) {
			Path folder = steps.get(step);
			try {
				freed += delete(folder);
				deleted.add(folder.getFileName().toString());
			}
			catch (IOException ex) {
				log.warn("cannot delete {} of {}: {}", folder, jobId, ex.getMessage());
			}
		}
		if (!deleted.isEmpty()) {
			log.info("checkpoint retention of {}: kept the last {}, deleted {}, freed {} bytes", jobId, keepLast,
					deleted, freed);
		}
		return new SweepResult(jobId, deleted, freed);
	}

	/**
	 * The tracker's step, or null when it is missing or not a number (verl is mid-write,
	 * or never saved).
	 */
	static Integer latest(Path checkpoints) {
		try {
			return CheckpointFolders
				.trackerStep(Files.readString(checkpoints.resolve(TRACKER), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * Deletes a folder tree without following links; returns the bytes of the regular
	 * files removed.
	 */
	private static long delete(Path folder) throws IOException {
		List<Path> paths;
		try (Stream<Path> walk = Files.walk(folder)) {
			paths = walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
		}
		long bytes = 0;
		for (Path path : paths) {
			if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
				bytes += Files.size(path);
			}
			Files.deleteIfExists(path);
		}
		return bytes;
	}

}
