package io.raylane.observer.ray;

import io.raylane.rayclient.wire.LogFileRoute;

/**
 * What an answer of Ray's log tail route ({@code GET /api/v0/logs/file?node_id=…
 * &filename=job-driver-<id>.log}) means to the observer (docs/reference/ray-http.md §6).
 * Pure.
 */
enum LogTailReply {

	/** 200: the tail. */
	TAIL,

	/**
	 * The driver's node has no such file (500 from its log agent): Ray has no log for the
	 * job.
	 */
	NO_FILE,

	/**
	 * The head has no usable route: 404 (no State API) or aiohttp's bare 500 page (it
	 * refused the parameters before reading anything, as Ray 2.60 does for a
	 * {@code submission_id} without a node). Asking again would answer the same.
	 */
	NO_ROUTE,

	/**
	 * Any other answer, e.g. 500 "Agent for node id: … doesn't exist." once the driver's
	 * node is gone: a failed read of this job.
	 */
	FAILED;

	static LogTailReply of(int status, String body) {
		if (status == 200) {
			return TAIL;
		}
		String text = body.strip();
		if (status == 404 || (status == 500 && text.equals(LogFileRoute.SERVER_TROUBLE))) {
			return NO_ROUTE;
		}
		if (status == 500 && text.startsWith(LogFileRoute.FILE_NOT_FOUND)) {
			return NO_FILE;
		}
		return FAILED;
	}

}
