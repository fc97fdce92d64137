package io.raylane.topics.job;

import java.util.regex.Pattern;

/**
 * What a job id may look like, whoever made it (the api's generator or another producer
 * of {@code raylane.job-commands}). The id becomes a directory name under the shared root
 * and Ray's submission id, so the scheduler rejects any id that could escape the jobs
 * directory or confuse a shell.
 */
public final class JobIds {

	public static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

	private JobIds() {
	}

	public static boolean isValid(String jobId) {
		return jobId != null && PATTERN.matcher(jobId).matches();
	}

	/** Why {@code jobId} is unusable, or null when it is fine. */
	public static String problem(String jobId) {
		if (!isValid(jobId)) {
			return "invalid job id '" + jobId + "': must be 1-128 letters, digits, '.', '_' or '-', "
					+ "starting with a letter or digit";
		}
		return null;
	}

}
