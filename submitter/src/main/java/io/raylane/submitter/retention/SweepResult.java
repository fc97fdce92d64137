package io.raylane.submitter.retention;

import java.util.List;

/**
 * What one sweep of a job's checkpoints did.
 *
 * @param jobId the job
 * @param deleted the {@code global_step_*} folder names removed
 * @param freedBytes bytes of the files removed
 */
public record SweepResult(String jobId, List<String> deleted, long freedBytes) {
}
