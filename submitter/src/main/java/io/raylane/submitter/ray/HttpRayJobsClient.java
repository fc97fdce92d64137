package io.raylane.submitter.ray;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.raylane.rayclient.RayHttp;
import io.raylane.rayclient.wire.RayJobSubmitRequest;
import io.raylane.rayclient.wire.RayJson;
import io.raylane.topics.deadletter.DeadLetter;
import tools.jackson.databind.JsonNode;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryOperations;
import org.springframework.http.MediaType;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * HTTP adapter of {@link RayJobsClient}: calls Ray's Jobs API exactly as
 * docs/reference/ray-http.md §1-§3 and §6 say (trailing slash on {@code /api/jobs/}, JSON
 * bodies without nulls, plain-text errors), lets {@link RayAnswers} decide what each
 * answer means and retries transient ones with the injected {@link RetryOperations}
 * (exponential backoff, bounded).
 */
public final class HttpRayJobsClient implements RayJobsClient {

	static final String JOBS = "/api/jobs/";

	private final RestClient rest;

	private final RetryOperations retry;

	private final RayCallMetrics metrics;

	public HttpRayJobsClient(RestClient rest, RetryOperations retry) {
		this(rest, retry, RayCallMetrics.none());
	}

	/**
	 * @param rest a client with Ray's address as base URL (see
	 * {@link RayHttp#restClient})
	 * @param retry retries {@link TransientRayFailure} and
	 * {@link ResourceAccessException} (see {@link #retryableFailures()})
	 * @param metrics times every exchange with Ray
	 */
	public HttpRayJobsClient(RestClient rest, RetryOperations retry, RayCallMetrics metrics) {
		this.rest = rest;
		this.retry = retry;
		this.metrics = metrics;
	}

	/**
	 * The failures a retry policy for this client must retry: transient answers and
	 * connection errors.
	 */
	@SuppressWarnings("unchecked")
	public static Class<? extends Throwable>[] retryableFailures() {
		return new Class[] { TransientRayFailure.class, ResourceAccessException.class };
	}

	@Override
	public SubmitOutcome submit(RayJobSubmitRequest request) {
		byte[] body = RayJson.requestMapper().writeValueAsBytes(request);
		return retrying("submit " + request.submissionId(),
				() -> RayAnswers.classifySubmit(
						call("submit", this.rest.post().uri(JOBS).contentType(MediaType.APPLICATION_JSON).body(body))),
				(o) -> o instanceof SubmitOutcome.Failed f && f.retryable(), (o) -> ((SubmitOutcome.Failed) o).reason(),
				(retryable, reason) -> new SubmitOutcome.Failed(retryable, reason));
	}

	@Override
	public StopOutcome stop(String jobId) {
		return retrying("stop " + jobId,
				() -> RayAnswers.classifyStop(call("stop", this.rest.post().uri(JOBS + "{id}/stop", jobId))),
				(o) -> o instanceof StopOutcome.Failed f && f.retryable(), (o) -> ((StopOutcome.Failed) o).reason(),
				(retryable, reason) -> new StopOutcome.Failed(retryable, reason));
	}

	@Override
	public Optional<String> logs(String jobId) {
		RayAnswer answer = retrying("logs " + jobId, () -> call("logs", this.rest.get().uri(JOBS + "{id}/logs", jobId)),
				(a) -> RayAnswers.isTransient(a.status()), RayAnswers::reasonOf, HttpRayJobsClient::giveUp);
		if (answer.status() == 404) {
			return Optional.empty();
		}
		JsonNode logs = RayAnswers.readTree(answer.body()).path("logs");
		if (!answer.ok() || !logs.isString()) {
			throw new RayCallException("logs of " + jobId + ": " + RayAnswers.reasonOf(answer), false);
		}
		return Optional.of(logs.stringValue());
	}

	@Override
	public boolean delete(String jobId) {
		// Ray answers 500 for a job that is not terminal yet: not worth retrying, so only
		// network errors are
		RayAnswer answer = retrying("delete " + jobId,
				() -> call("delete", this.rest.delete().uri(JOBS + "{id}", jobId)), (a) -> a.status() > 500,
				RayAnswers::reasonOf, HttpRayJobsClient::giveUp);
		if (answer.status() == 404) {
			return false;
		}
		if (!answer.ok()) {
			throw new RayCallException("delete of " + jobId + ": " + RayAnswers.reasonOf(answer),
					RayAnswers.isTransient(answer.status()));
		}
		return true;
	}

	@Override
	public Set<String> submissionIds() {
		// no retries: a sweep lists every few seconds, and a backing-off call would hold
		// the thread it shares with the archive's retries
		RayAnswer answer;
		try {
			answer = call("list", this.rest.get().uri(JOBS));
		}
		catch (ResourceAccessException ex) {
			throw new RayCallException("list of jobs: " + DeadLetter.reasonOf(ex), true);
		}
		if (!answer.ok()) {
			throw new RayCallException("list of jobs: " + RayAnswers.reasonOf(answer),
					RayAnswers.isTransient(answer.status()));
		}
		return RayAnswers.submissionIds(answer.body())
			.orElseThrow(() -> new RayCallException("list of jobs: not a list of jobs: " + RayAnswers.reasonOf(answer),
					false));
	}

	/**
	 * One HTTP exchange, timed as {@code operation}; the answer whatever its status.
	 * Connection errors raise ResourceAccessException.
	 */
	private RayAnswer call(String operation, RestClient.RequestHeadersSpec<?> request) {
		long start = System.nanoTime();
		String outcome = RayCallMetrics.ERROR;
		try {
			RayAnswer answer = request.exchange((req, res) -> new RayAnswer(res.getStatusCode().value(),
					new String(res.getBody().readAllBytes(), StandardCharsets.UTF_8)));
			outcome = answer.ok() ? RayCallMetrics.SUCCESS : RayCallMetrics.ERROR;
			return answer;
		}
		finally {
			this.metrics.record(operation, outcome, System.nanoTime() - start);
		}
	}

	/**
	 * Runs {@code attempt} under the retry policy; an outcome {@code isTransient} says is
	 * transient is retried like a connection error. When the policy gives up,
	 * {@code failed} builds the final outcome.
	 */
	private <T> T retrying(String what, Supplier<T> attempt, Predicate<T> isTransient,
			Function<T, String> transientReason, Failure<T> failed) {
		try {
			return this.retry.execute(new NamedAttempt<>(what, () -> {
				T outcome = attempt.get();
				if (isTransient.test(outcome)) {
					throw new TransientRayFailure(transientReason.apply(outcome));
				}
				return outcome;
			}));
		}
		catch (RetryException ex) {
			Throwable last = (ex.getLastException() != null) ? ex.getLastException() : ex.getCause();
			boolean retryable = last instanceof TransientRayFailure || last instanceof ResourceAccessException;
			String reason = (last instanceof TransientRayFailure) ? last.getMessage() : DeadLetter.reasonOf(last);
			return failed.of(retryable,
					(retryable ? "Ray unavailable after " + (ex.getRetryCount() + 1) + " attempts: " : "") + reason);
		}
	}

	private static <T> T giveUp(boolean retryable, String reason) {
		throw new RayCallException(reason, retryable);
	}

	@FunctionalInterface
	private interface Failure<T> {

		T of(boolean retryable, String reason);

	}

	/** Names the attempt so the retry listener's log says what is being retried. */
	private record NamedAttempt<T>(String name,
			Supplier<T> attempt) implements org.springframework.core.retry.Retryable<T> {

		@Override
		public T execute() {
			return this.attempt.get();
		}

		@Override
		public String getName() {
			return this.name;
		}

	}

}
