package io.raylane.observer.ray;

import java.util.List;

import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.rayclient.wire.RayNodeState;

/**
 * The observer's port to what Ray knows: its jobs and its nodes. The HTTP adapter is
 * {@link HttpRayStateClient}.
 */
public interface RayStateClient {

	/**
	 * {@code GET /api/jobs/}: every job Ray has recorded, submission and driver jobs
	 * alike.
	 * @throws RayPollException when Ray could not be read
	 */
	List<RayJobDetails> jobs();

	/**
	 * {@code GET /api/v0/nodes}: every node, alive or dead.
	 * @throws RayPollException when Ray could not be read
	 */
	List<RayNodeState> nodes();

	/**
	 * {@code GET /api/v0/placement_groups?detail=true}: every placement group with its
	 * bundles' nodes (issue 14). By default none (a Ray without the State API).
	 * @throws RayPollException when Ray could not be read
	 */
	default List<io.raylane.rayclient.wire.RayPlacementGroupState> placementGroups() {
		return List.of();
	}

	/**
	 * {@code GET /api/v0/actors?detail=true}: every actor with its node, job and
	 * resources (issue 14). By default none.
	 * @throws RayPollException when Ray could not be read
	 */
	default List<io.raylane.rayclient.wire.RayActorState> actors() {
		return List.of();
	}

	/**
	 * {@code GET /api/jobs/{id}/logs}: the whole driver log of a submission.
	 * @return empty when Ray does not know the job
	 * @throws RayPollException when Ray could not be read
	 */
	default java.util.Optional<String> logs(String submissionId) {
		return java.util.Optional.empty();
	}

	/**
	 * The last {@code lines} lines of a submission's driver log, at most the last
	 * {@code maxChars} characters of them (issue 13 item 6; docs/reference/ray-http.md
	 * §6): Ray's State API serves them from {@code job-driver-<id>.log} on the driver's
	 * node. By default the tail of {@link #logs}.
	 * @param driverNodeId the job's {@code driver_node_id}; null while it has no driver,
	 * and then Ray has no log
	 * @return empty when Ray has no log for the job
	 * @throws RayPollException when Ray could not be read
	 */
	default java.util.Optional<String> logTail(String submissionId, String driverNodeId, int lines, int maxChars) {
		if (driverNodeId == null) {
			return java.util.Optional.empty();
		}
		return logs(submissionId).map((text) -> io.raylane.rayclient.wire.LogTails.last(text, lines, maxChars));
	}

}
