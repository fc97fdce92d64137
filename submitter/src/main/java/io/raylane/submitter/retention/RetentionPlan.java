package io.raylane.submitter.retention;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which {@code global_step_<N>} folders of a job to delete: all but the {@code keepLast}
 * highest steps, and never the step named in {@code latest_checkpointed_iteration.txt}
 * (verl resumes from it). Pure.
 */
final class RetentionPlan {

	private RetentionPlan() {
	}

	/**
	 * @param steps the step numbers present
	 * @param keepLast how many of the newest to keep (at least 1)
	 * @param latest the tracker file's step, or null when absent or unreadable
	 * @return the steps to delete, ascending
	 */
	static List<Integer> toDelete(Set<Integer> steps, int keepLast, Integer latest) {
		TreeSet<Integer> sorted = new TreeSet<>(steps);
		int keep = Math.max(1, keepLast);
		List<Integer> deletable = sorted.stream().limit(Math.max(0, sorted.size() - keep)).toList();
		return deletable.stream().filter((step) -> !step.equals(latest)).toList();
	}

}
