package io.raylane.rayclient.wire;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Ray 2.60's State API log route {@code GET /api/v0/logs/file} for driver logs, as both
 * imitations of the head serve it (the stand-in's head and the services' fixture), so
 * they answer what the real head answers (contract cases of {@code RayContractSuite};
 * docs/reference/ray-http.md §6). Pure: the cluster is a port.
 *
 * <p>
 * What 2.60 does, read in its source and seen on the real head: the handler
 * ({@code dashboard/modules/state/state_head.py} {@code get_logs}) first builds
 * {@code GetLogOptions} ({@code util/state/common.py}), whose checks fail outside the
 * handler's error answer, so aiohttp answers its bare 500 page: no {@code node_id} or
 * {@code node_ip} (unless an actor or task id is given), both of them, none of the file
 * selectors, a {@code lines} that is not an integer. A {@code submission_id} is therefore
 * not enough alone. Then {@code log/log_manager.py} {@code resolve_filename} resolves a
 * submission id to its driver's node and {@code job-driver-<id>.log} (overriding node and
 * file name given), or takes {@code filename} on the given node; the node's log agent
 * ({@code log/log_agent.py}) serves the last lines of the file.
 */
public final class LogFileRoute {

	/** aiohttp's page for a handler that failed before answering. */
	public static final String SERVER_TROUBLE = "500 Internal Server Error\n\nServer got itself in trouble";

	/** The content type of a 200 answer (no charset, unlike Ray's error answers). */
	public static final String CONTENT_TYPE = "text/plain";

	/** The prefix of the log agent's answer for a file its node does not have. */
	public static final String FILE_NOT_FOUND = "A file is not found at: ";

	/** Ray's {@code lines} when none (or 0) is asked for. */
	static final int DEFAULT_LINES = 1000;

	private static final Set<String> SELECTORS = Set.of("actor_id", "task_id", "pid", "submission_id", "filename");

	private LogFileRoute() {
	}

	/**
	 * The name of a submission's driver log in the log directory of its driver's node
	 * ({@code JOB_LOGS_PATH_TEMPLATE}, {@code dashboard/modules/job/common.py}).
	 */
	public static String driverLogFile(String submissionId) {
		return "job-driver-" + submissionId + ".log";
	}

	/** Ray's answer to a request with these query parameters (first values). */
	public static Answer answer(Map<String, String> query, Cluster cluster) {
		String nodeId = param(query, "node_id");
		String nodeIp = param(query, "node_ip");
		boolean actorOrTask = param(query, "actor_id") != null || param(query, "task_id") != null;
		// int("") raises too: an empty lines is no default
		Integer lines = integer(query.get("lines"), DEFAULT_LINES);
		boolean selector = SELECTORS.stream().anyMatch((name) -> param(query, name) != null);
		String suffix = (param(query, "suffix") != null) ? param(query, "suffix") : "out";
		if (lines == null || integer(query.get("timeout"), 0) == null
				|| (nodeId == null && nodeIp == null && !actorOrTask) || (nodeId != null && nodeIp != null) || !selector
				|| !Set.of("out", "err").contains(suffix)) {
			return new Answer(500, SERVER_TROUBLE);
		}
		if (actorOrTask || param(query, "pid") != null) {
			// Raylane reads driver logs only; the imitations keep no worker logs
			return new Answer(500, "the imitation of Ray serves driver logs only");
		}
		String node = (nodeId != null) ? nodeId : cluster.nodeIdAt(nodeIp).orElse(null);
		String file = param(query, "filename");
		String submissionId = param(query, "submission_id");
		if (submissionId != null) {
			Optional<RayJobDetails> job = cluster.job(submissionId);
			if (job.isEmpty()) {
				return new Answer(500, LogTailAnswers.notFound(submissionId));
			}
			if (job.get().driverNodeId() == null) {
				return new Answer(500, LogTailAnswers.noDriverNode(submissionId));
			}
			node = job.get().driverNodeId();
			file = driverLogFile(submissionId);
		}
		if (node == null || !cluster.hasNode(node)) {
			return new Answer(500, "Agent for node id: " + ((node != null) ? node : "None") + " doesn't exist.");
		}
		Optional<String> log = driverLogOn(cluster, node, file);
		if (log.isEmpty()) {
			return new Answer(500, FILE_NOT_FOUND + cluster.logDir(node) + "/" + file);
		}
		return new Answer(200, tail(log.get(), lines));
	}

	/**
	 * The part of a file the log agent serves for {@code lines}
	 * ({@code find_start_offset_last_n_lines_from_offset}): -1 the whole file, 0 the
	 * default 1000, other negatives nothing; a last line without its newline counts.
	 */
	public static String tail(String text, int lines) {
		if (lines == -1) {
			return text;
		}
		if (lines < -1) {
			return "";
		}
		return LogTails.last(text, (lines == 0) ? DEFAULT_LINES : lines, Integer.MAX_VALUE);
	}

	/** A driver log is on its driver's node only. */
	private static Optional<String> driverLogOn(Cluster cluster, String node, String file) {
		String prefix = "job-driver-";
		if (file == null || !file.startsWith(prefix) || !file.endsWith(".log")) {
			return Optional.empty();
		}
		String id = file.substring(prefix.length(), file.length() - ".log".length());
		return cluster.job(id).filter((job) -> node.equals(job.driverNodeId())).map((job) -> cluster.log(id));
	}

	/** Blank counts as absent: Python's truthiness of the query value. */
	private static String param(Map<String, String> query, String name) {
		String value = query.get(name);
		return (value == null || value.isEmpty()) ? null : value;
	}

	/** Python's {@code int(value)}: null when it would raise. */
	private static Integer integer(String value, int orElse) {
		if (value == null) {
			return orElse;
		}
		try {
			return Integer.valueOf(value.strip());
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/** What the imitated cluster knows. */
	public interface Cluster {

		/** A submission job, if the head knows it. */
		Optional<RayJobDetails> job(String submissionId);

		/** The whole driver log of a job that has a driver node. */
		String log(String submissionId);

		/** Whether a log agent for this node answers (an alive node). */
		boolean hasNode(String nodeId);

		/** The id of the alive node at this IP. */
		Optional<String> nodeIdAt(String ip);

		/** The node's log directory, as the agent names it in "file not found". */
		default String logDir(String nodeId) {
			return "/tmp/ray/session_latest/logs";
		}

	}

	/**
	 * @param status 200 with the log text, else 500 with Ray's plain-text reason
	 * @param body the answer
	 */
	public record Answer(int status, String body) {

		/** Ray's content type: no charset on a 200, utf-8 on an error. */
		public String contentType() {
			return (this.status == 200) ? CONTENT_TYPE : "text/plain; charset=utf-8";
		}

	}

}
