package io.raylane.nodeagent.ssh;

/**
 * What a remote command did.
 *
 * @param exitCode its exit status
 * @param stdoutTail the last lines of its stdout
 * @param stderrTail the last lines of its stderr
 */
public record CommandResult(int exitCode, String stdoutTail, String stderrTail) {

	public boolean succeeded() {
		return this.exitCode == 0;
	}

}
