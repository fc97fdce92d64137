package io.raylane.api.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.raylane.api.storage.JobDirListing.Kind;
import io.raylane.jobspec.checkpoint.CheckpointFolders;
import io.raylane.jobspec.checkpoint.RetentionPlan;
import io.raylane.topics.job.JobView;

/**
 * Decides what a cleanup deletes of one finished job (issue 16): pure, over the job's
 * view, a listing of its directory ({@link JobDirListing}), the steps queued or running
 * jobs resume from, and what to keep. Shared by
 * {@code POST /v1/ops/cleanup_job_artifacts} and the disk policy. The rules, in order:
 * <ol>
 * <li>only a finished job (a terminal JobView status) is touched;</li>
 * <li>its directory must lie strictly inside {@code <shared root>/jobs/}, and neither it
 * nor a folder on the way may be a symbolic link (nothing outside the root is ever
 * reached);</li>
 * <li>of {@code checkpoints/}, the {@code global_step_<N>} folders beyond the newest
 * {@code keep.last_checkpoints} go ({@link RetentionPlan}: the tracked step stays when at
 * least one is kept), never a pinned step; a link named like a step is nobody's
 * checkpoint and stays; a {@code checkpoints} link is not followed;</li>
 * <li>{@code logs/} and {@code config/} go only when {@code keep} says so (a link there
 * is deleted as a link);</li>
 * <li>everything else stays.</li>
 * </ol>
 */
final class CleanupPlanner {

	static final String CHECKPOINTS = "checkpoints";

	static final String LOGS = "logs";

	static final String CONFIG = "config";

	private CleanupPlanner() {
	}

	/**
	 * @param view the job
	 * @param listing its directory
	 * @param pinned the steps of this job that queued or running jobs resume from
	 * @param keep what to keep
	 * @param sharedRoot the shared root (absolute, normalized)
	 */
	static JobPlan plan(JobView view, JobDirListing listing, Set<Integer> pinned, CleanupCriteria.Keep keep,
			Path sharedRoot) {
		String jobId = view.jobId();
		// 1. finished
		if (view.status() == null || !view.status().isTerminal()) {
			return JobPlan.refuse(jobId, view.jobDir(),
					"job is " + view.status() + ": only finished jobs are cleaned up");
		}
		// 2. inside the root, no link on the way
		Path jobs = sharedRoot.resolve("jobs");
		Path dir = inside(view.jobDir(), jobs);
		if (dir == null) {
			return JobPlan.refuse(jobId, view.jobDir(),
					"job directory '" + view.jobDir() + "' is not inside " + jobs + "/: refused");
		}
		if (listing.self() == Kind.MISSING) {
			return new JobPlan(jobId, dir.toString(), List.of(), List.of(), null);
		}
		if (listing.self() != Kind.DIRECTORY) {
			return JobPlan.refuse(jobId, dir.toString(),
					"job directory is a symbolic link or lies behind one: links are not followed");
		}
		List<String> delete = new ArrayList<>();
		List<String> kept = new ArrayList<>();
		// 3. checkpoints
		Kind checkpoints = listing.entries().get(CHECKPOINTS);
		if (checkpoints == Kind.DIRECTORY) {
			checkpoints(listing, pinned, keep, delete, kept);
		}
		else if (checkpoints != null) {
			kept.add(CHECKPOINTS);
		}
		// 4. logs and config
		optional(listing, LOGS, keep.logs(), delete, kept);
		optional(listing, CONFIG, keep.config(), delete, kept);
		return new JobPlan(jobId, dir.toString(), delete, kept, null);
	}

	private static void checkpoints(JobDirListing listing, Set<Integer> pinned, CleanupCriteria.Keep keep,
			List<String> delete, List<String> kept) {
		Map<Integer, String> steps = new TreeMap<>();
		listing.checkpoints().forEach((name, kind) -> {
			if (kind == Kind.DIRECTORY) {
				CheckpointFolders.step(name).ifPresent((step) -> steps.put(step, name));
			}
		});
		List<Integer> gone = (keep.lastCheckpoints() > 0)
				? RetentionPlan.toDelete(steps.keySet(), keep.lastCheckpoints(), listing.latest(), pinned)
				: RetentionPlan.allBut(steps.keySet(), pinned);
		Set<Integer> goneSet = new TreeSet<>(gone);
		steps.forEach((step, name) -> (goneSet.contains(step) ? delete : kept).add(CHECKPOINTS + "/" + name));
	}

	private static void optional(JobDirListing listing, String name, boolean keep, List<String> delete,
			List<String> kept) {
		if (listing.entries().containsKey(name)) {
			(keep ? kept : delete).add(name);
		}
	}

	/**
	 * The job directory, normalized, when it lies strictly inside {@code jobs}; else
	 * null.
	 */
	static Path inside(String jobDir, Path jobs) {
		if (jobDir == null || jobDir.isBlank()) {
			return null;
		}
		try {
			Path dir = Path.of(jobDir);
			if (!dir.isAbsolute()) {
				return null;
			}
			dir = dir.normalize();
			return (dir.startsWith(jobs) && !dir.equals(jobs)) ? dir : null;
		}
		catch (java.nio.file.InvalidPathException ex) {
			return null;
		}
	}

}
