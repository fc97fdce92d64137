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
	 * {@code GET /api/jobs/{id}/logs}: the whole driver log of a submission.
	 * @return empty when Ray does not know the job
	 * @throws RayPollException when Ray could not be read
	 */
	default java.util.Optional<String> logs(String submissionId) {
		return java.util.Optional.empty();
	}

}
