package io.raylane.raystandin;

import java.time.Duration;
import java.util.Map;

/**
 * The status messages and error types of Ray's job manager and supervisor
 * (docs/reference/ray-http.md §5), composed exactly as Ray composes them, so clients that
 * match on them behave the same against the local head.
 */
final class JobMessages {

	static final String RUNNING = "Job is currently running.";

	static final String STOPPED = "Job was intentionally stopped.";

	static final String SUCCEEDED = "Job finished successfully.";

	static final String LOST_ON_RESTART = "Job driver was lost when the head restarted.";

	static final String ERROR_ENTRYPOINT = "JOB_ENTRYPOINT_COMMAND_ERROR";

	static final String ERROR_ENTRYPOINT_START = "JOB_ENTRYPOINT_COMMAND_START_ERROR";

	static final String ERROR_START_TIMEOUT = "JOB_SUPERVISOR_ACTOR_START_TIMEOUT";

	static final String ERROR_START_FAILURE = "JOB_SUPERVISOR_ACTOR_START_FAILURE";

	static final String ERROR_DIED = "JOB_SUPERVISOR_ACTOR_DIED";

	/** Ray keeps the last 20,000 characters of the driver log in a failure message. */
	static final int LOG_TAIL_CHARS = 20_000;

	private JobMessages() {
	}

	/** JobInfo's default PENDING message. */
	static String pending(ResourceRequest resources, Map<String, Object> runtimeEnv) {
		String message = "Job has not started yet.";
		if (resources.specified()) {
			message += " It may be waiting for resources (CPUs, GPUs, memory, custom resources) to become available.";
		}
		if (runtimeEnv != null && !runtimeEnv.isEmpty()) {
			message += " It may be waiting for the runtime environment to be set up.";
		}
		return message;
	}

	/** The supervisor's message for a non-zero exit, with the tail of the driver log. */
	static String exitFailure(int exitCode, String log) {
		if (log == null || log.isEmpty()) {
			return "Job entrypoint command failed with exit code " + exitCode + ". No logs available.";
		}
		String tail = (log.length() > LOG_TAIL_CHARS) ? log.substring(log.length() - LOG_TAIL_CHARS) : log;
		return "Job entrypoint command failed with exit code " + exitCode
				+ ", last available logs (truncated to 20,000 chars):\n" + tail;
	}

	/**
	 * The job manager's message when a job stays PENDING longer than
	 * RAY_JOB_START_TIMEOUT_SECONDS.
	 */
	static String startTimeout(Duration timeout, boolean resourcesSpecified) {
		String message = "Job supervisor actor failed to start within " + pythonFloat(timeout)
				+ " seconds. This timeout can be configured by setting the environment variable "
				+ "RAY_JOB_START_TIMEOUT_SECONDS.";
		if (resourcesSpecified) {
			// Ray's text really lacks the space before "aren't"
			message += " This may be because the job entrypoint's specified resources (entrypoint_num_cpus, "
					+ "entrypoint_num_gpus, entrypoint_resources, entrypoint_memory)aren't available on the cluster."
					+ " Try checking the cluster's available resources with `ray status` and specifying fewer "
					+ "resources for the job entrypoint.";
		}
		return message;
	}

	static String startFailure(String submissionId, String reason) {
		return "Failed to start supervisor actor " + submissionId + ": '" + reason + "'";
	}

	/**
	 * Ray 2.60's message for a job whose supervisor's node died (ray-cluster/FINDINGS.md
	 * §4), without the actor id and pid lines the stand-in has no values for.
	 */
	static String nodeDied(String submissionId, String nodeId, String nodeIp, String reason) {
		return "Job supervisor actor died: The actor died unexpectedly before finishing this task.\n"
				+ "\tclass_name: JobSupervisor\n\tname: _ray_internal_job_actor_" + submissionId
				+ "\n\tnamespace: SUPERVISOR_ACTOR_RAY_NAMESPACE\n\tip: " + nodeIp
				+ "\nThe actor died because its node has died. Node Id: " + nodeId
				+ "\n\tthe actor's node was terminated unexpectedly: " + reason;
	}

	/**
	 * The line Ray's supervisor writes to the driver log before it starts the entrypoint.
	 */
	static String runningEntrypoint(String submissionId, String entrypoint) {
		return "Running entrypoint for job " + submissionId + ": " + entrypoint + "\n";
	}

	/** Python's str(float): 900 → "900.0", 2.5 → "2.5". */
	static String pythonFloat(Duration duration) {
		return String.valueOf(duration.toMillis() / 1000.0);
	}

}
