package io.raylane.submitter.ray;

import java.util.Optional;
import java.util.Set;

import io.raylane.rayclient.wire.RayJobSubmitRequest;

/**
 * The submitter's port to Ray's Jobs API (see docs/reference/ray-http.md §2, §3 and §6).
 * The HTTP adapter is {@link HttpRayJobsClient}; answers are classified by
 * {@link RayAnswers}, a pure function.
 */
public interface RayJobsClient {

	/**
	 * {@code POST /api/jobs/}. Never throws for Ray's or the network's answers: transient
	 * failures are retried (bounded) and then reported as a retryable
	 * {@link SubmitOutcome.Failed}.
	 */
	SubmitOutcome submit(RayJobSubmitRequest request);

	/** {@code POST /api/jobs/{id}/stop}; an unknown id (404) is {@code stopped=false}. */
	StopOutcome stop(String jobId);

	/**
	 * {@code GET /api/jobs/{id}/logs}: the whole driver log, or empty when Ray does not
	 * know the job.
	 * @throws RayCallException when Ray answered otherwise or could not be reached (after
	 * retries)
	 */
	Optional<String> logs(String jobId);

	/**
	 * {@code DELETE /api/jobs/{id}} (terminal jobs only).
	 * @return true when deleted, false when Ray did not know the job
	 * @throws RayCallException when Ray refused (e.g. a job not yet terminal) or could
	 * not be reached
	 */
	boolean delete(String jobId);

	/**
	 * {@code GET /api/jobs/}: the submission ids of every job Ray holds (driver jobs,
	 * which have none, left out). Not retried: its caller, a periodic sweep, tries again
	 * at its next round.
	 * @throws RayCallException when Ray answered anything but a list of jobs, or could
	 * not be reached
	 */
	Set<String> submissionIds();

}
