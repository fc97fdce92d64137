package io.raylane.jobspec.checkpoint;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which {@code global_step_<N>} folders of a job to delete: all but the {@code keepLast}
 * highest steps, never the step named in {@code latest_checkpointed_iteration.txt} (verl
 * resumes from it), and never a step that a queued or running job resumes from (its
 * {@code resume_from} / {@code resume_step}, issue 13). Pure; shared by the submitter's
 * retention and the API's cleanup and disk policy (issue 16).
 */
public final class RetentionPlan {

	private RetentionPlan() {
	}

	/**
	 * @param steps the step numbers present
	 * @param keepLast how many of the newest to keep (at least 1)
	 * @param latest the tracker file's step, or null when absent or unreadable
	 * @return the steps to delete, ascending
	 */
	public static List<Integer> toDelete(Set<Integer> steps, int keepLast, Integer latest) {
		return toDelete(steps, keepLast, latest, Set.of());
	}

	/**
	 * @param steps the step numbers present
	 * @param keepLast how many of the newest to keep (at least 1)
	 * @param latest the tracker file's step, or null when absent or unreadable
	 * @param pinned the steps queued or running jobs resume from
	 * @return the steps to delete, ascending
	 */
	public static List<Integer> toDelete(Set<Integer> steps, int keepLast, Integer latest, Set<Integer> pinned) {
		TreeSet<Integer> sorted = new TreeSet<>(steps);
		int keep = Math.max(1, keepLast);
		List<Integer> deletable = sorted.stream().limit(Math.max(0, sorted.size() - keep)).toList();
		return deletable.stream().filter((step) -> !step.equals(latest) && !pinned.contains(step)).toList();
	}

	/**
	 * Every step but the pinned ones: a cleanup asked to keep no checkpoint (the tracked
	 * step goes too; a pin never does).
	 * @param steps the step numbers present
	 * @param pinned the steps queued or running jobs resume from
	 * @return the steps to delete, ascending
	 */
	public static List<Integer> allBut(Set<Integer> steps, Set<Integer> pinned) {
		return new TreeSet<>(steps).stream().filter((step) -> !pinned.contains(step)).toList();
	}

}
