package io.raylane.submitter.jobdir;

/**
 * The job directory named by a dispatch command is not acceptable (it would lie outside
 * the jobs root).
 */
public class JobDirRefusedException extends Exception {

	public JobDirRefusedException(String message) {
		super(message);
	}

}
