package io.raylane.submitter.ray;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.raylane.rayclient.wire.RayContract;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.rayclient.wire.RayJson;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * Decides what an answer of Ray's Jobs API means, without doing anything (decide, then
 * apply): the HTTP adapter retries what this calls transient and reports the rest. Pure
 * functions, tested with plain JUnit.
 */
final class RayAnswers {

	/**
	 * Ray's error texts can be whole tracebacks; a reason in a record is kept to this
	 * many characters.
	 */
	static final int MAX_REASON_CHARS = 8 * 1024;

	private static final TypeReference<List<RayJobDetails>> JOB_LIST = new TypeReference<>() {
	};

	private RayAnswers() {
	}

	/**
	 * Submit ({@code POST /api/jobs/}): 200 → accepted; 500 with Ray's duplicate text →
	 * already accepted (the submission id is the job id, so a redelivery is idempotent);
	 * other 4xx → refused; 5xx, 408, 429 → transient (a retryable failure the caller
	 * retries).
	 */
	static SubmitOutcome classifySubmit(RayAnswer answer) {
		if (answer.ok()) {
			return new SubmitOutcome.Accepted(false);
		}
		if (answer.status() == 500 && answer.body().contains(RayContract.DUPLICATE_SUBMISSION_MARKER)) {
			return new SubmitOutcome.Accepted(true);
		}
		return new SubmitOutcome.Failed(isTransient(answer.status()), reasonOf(answer));
	}

	/**
	 * Stop ({@code POST /api/jobs/{id}/stop}): 200 → Ray's {@code stopped}; 404 → not
	 * stopped (Ray does not know the job); other 4xx (e.g. 400 for a DRIVER job) →
	 * refused; 5xx, 408, 429 → transient.
	 */
	static StopOutcome classifyStop(RayAnswer answer) {
		if (answer.ok()) {
			JsonNode stopped = readTree(answer.body()).path("stopped");
			if (!stopped.isBoolean()) {
				return new StopOutcome.Failed(false, "unreadable stop answer: " + reasonOf(answer));
			}
			return new StopOutcome.Delivered(stopped.booleanValue());
		}
		if (answer.status() == 404) {
			return new StopOutcome.Delivered(false);
		}
		return new StopOutcome.Failed(isTransient(answer.status()), reasonOf(answer));
	}

	/**
	 * Whether an HTTP status is worth retrying: server errors, request timeout, too many
	 * requests.
	 */
	static boolean isTransient(int status) {
		return status >= 500 || status == 408 || status == 429;
	}

	/** Ray's text, trimmed (capped); the status when Ray sent no text. */
	static String reasonOf(RayAnswer answer) {
		String text = answer.body().trim();
		if (text.isEmpty()) {
			return "HTTP " + answer.status();
		}
		return (text.length() > MAX_REASON_CHARS) ? text.substring(0, MAX_REASON_CHARS) : text;
	}

	/**
	 * The submission ids of Ray's job list ({@code GET /api/jobs/}, a JSON array of
	 * JobDetails, read as ray-client's {@link RayJobDetails}); empty when the body is not
	 * such a list. Driver jobs, without a submission id, are left out.
	 */
	static Optional<Set<String>> submissionIds(String body) {
		List<RayJobDetails> jobs;
		try {
			jobs = RayJson.mapper().readValue(body, JOB_LIST);
		}
		catch (JacksonException ex) {
			return Optional.empty();
		}
		if (jobs == null) {
			return Optional.empty();
		}
		Set<String> ids = new HashSet<>();
		for (RayJobDetails job : jobs) {
			if (job != null && job.submissionId() != null) {
				ids.add(job.submissionId());
			}
		}
		return Optional.of(ids);
	}

	/** The JSON of a 200 answer, or a missing node when it is not JSON. */
	static JsonNode readTree(String body) {
		try {
			return RayJson.mapper().readTree(body);
		}
		catch (JacksonException ex) {
			return RayJson.mapper().missingNode();
		}
	}

}
