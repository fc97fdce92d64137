package io.raylane.topics.job;

import java.util.regex.Pattern;

/**
 * What a job id may look like. The id becomes a directory name under the shared root and Ray's submission id,
 * so the scheduler rejects any id that could escape the jobs directory or confuse a shell.
 */
public final class JobIds {

	static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

	private JobIds() {
	}

	/** Why {@code jobId} is unusable, or null when it is fine. */
	public static String problem(String jobId) {
		if (jobId == null || !JOB_ID.matcher(jobId).matches()) {
			return "invalid job id '" + jobId + "': must be 1-128 letters, digits, '.', '_' or '-', "
					+ "starting with a letter or digit";
		}
		return null;
	}

}
