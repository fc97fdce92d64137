package io.raylane.api.storage;

import java.util.List;

/**
 * What the cleanup does to one job: the paths (relative to its directory) to delete and
 * those it keeps, or why it touches nothing.
 *
 * @param jobId the job
 * @param jobDir its directory, or null when none is known
 * @param delete paths to delete, e.g. {@code checkpoints/global_step_10}
 * @param kept paths kept, pinned checkpoints among them
 * @param refused why nothing is touched, or null
 */
record JobPlan(String jobId, String jobDir, List<String> delete, List<String> kept, String refused) {

	JobPlan {
		delete = List.copyOf(delete);
		kept = List.copyOf(kept);
	}

	static JobPlan refuse(String jobId, String jobDir, String why) {
		return new JobPlan(jobId, jobDir, List.of(), List.of(), why);
	}

}
