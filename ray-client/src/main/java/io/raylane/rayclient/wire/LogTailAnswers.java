package io.raylane.rayclient.wire;

/**
 * The error texts of Ray 2.60's {@code GET /api/v0/logs/file} for a submission id
 * ({@code dashboard/modules/log/log_manager.py}), answered with status 500: what the
 * stand-ins answer and the observer reads as "no log".
 */
public final class LogTailAnswers {

	private LogTailAnswers() {
	}

	/** The job is not known: {@code resolve_filename}'s FileNotFoundError. */
	public static String notFound(String submissionId) {
		return "Could not find a log file. Please make sure the given option exists in the cluster.\n"
				+ "\tnode_id: None\n\tfilename: None\n\tactor_id: None\n\ttask_id: None\n\tpid: None\n"
				+ "\tsuffix: out\n\tsubmission_id: " + submissionId + "\n\tattempt_number: 0\n";
	}

	/** The job has no driver yet: {@code _resolve_job_filename}'s ValueError. */
	public static String noDriverNode(String submissionId) {
		return "Job " + submissionId + " has no driver node id info. This is likely a bug. Please file an issue.";
	}

}
