package io.raylane.api.storage;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.raylane.topics.job.JobStatus;

/**
 * A validated cleanup: which finished jobs (every selector given must match; at least one
 * is given), what to keep of each, and whether to only report.
 *
 * @param jobIds the named jobs, or null
 * @param olderThan ended longer ago than this, or null
 * @param user owned by this user, or null
 * @param states ended in one of these, or null
 * @param keep what survives
 * @param dryRun whether nothing is deleted
 */
record CleanupCriteria(List<String> jobIds, Duration olderThan, String user, Set<JobStatus> states, Keep keep,
		boolean dryRun) {

	/** The default keep: config, logs and the last checkpoint. */
	static final Keep DEFAULT_KEEP = new Keep(1, true, true);

	/**
	 * @param lastCheckpoints newest {@code global_step_*} folders kept (0 or more)
	 * @param logs whether {@code logs/} stays
	 * @param config whether {@code config/} stays
	 */
	record Keep(int lastCheckpoints, boolean logs, boolean config) {
	}

}
