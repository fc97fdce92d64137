package io.raylane.scheduler.core;

import java.time.Duration;
import java.time.Instant;

/**
 * How a retryable submit failure ({@code SubmitFailed.retryable}: Ray unreachable after
 * the submitter's own retries, a shared-storage hiccup) is retried: the job keeps its
 * reservation and is submitted again after a back-off that doubles from
 * {@code firstBackoff} up to {@code maxBackoff}; only when the failures last longer than
 * {@code period} does it end FAILED. The submission id is the job id, so a submission Ray
 * did take despite the error is not run twice.
 *
 * @param period how long after the first failure the job is still submitted again; zero =
 * fail at once
 * @param firstBackoff the wait after the first failure
 * @param maxBackoff the longest wait between two submissions
 */
public record SubmitRetryPolicy(Duration period, Duration firstBackoff, Duration maxBackoff) {

	public SubmitRetryPolicy {
		period = (period != null) ? period : Duration.ofMinutes(10);
		firstBackoff = (firstBackoff != null) ? firstBackoff : Duration.ofSeconds(5);
		maxBackoff = (maxBackoff != null) ? maxBackoff : Duration.ofMinutes(2);
	}

	/**
	 * 10 minutes of retries, 5 s after the first failure, doubling to at most 2 minutes.
	 */
	public static SubmitRetryPolicy defaults() {
		return new SubmitRetryPolicy(null, null, null);
	}

	/**
	 * The wait after the {@code failures}-th failure (1 = the first): first ×
	 * 2^(failures-1), at most max.
	 */
	public Duration backoff(int failures) {
		Duration wait = this.firstBackoff;
		for (int i = 1; i < failures && wait.compareTo(this.maxBackoff) < 0; i++) {
			wait = wait.multipliedBy(2);
		}
		return (wait.compareTo(this.maxBackoff) < 0) ? wait : this.maxBackoff;
	}

	/**
	 * When to submit again after the {@code failures}-th failure, reported at
	 * {@code now}: after the back-off, but no later than the end of the period (that last
	 * submission's failure ends the job).
	 * @param since when the first failure was reported
	 * @return the instant, or null when the period is over (or retries are off) and the
	 * job fails
	 */
	public Instant next(Instant since, int failures, Instant now) {
		Instant end = since.plus(this.period);
		if (!now.isBefore(end)) {
			return null;
		}
		Instant next = now.plus(backoff(failures));
		return next.isBefore(end) ? next : end;
	}

}
