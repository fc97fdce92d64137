package io.raylane.scheduler.core;

import java.time.Duration;
import java.util.Map;

import io.raylane.jobspec.JobSpecValidator;
import io.raylane.topics.job.JobView;

/**
 * The policy the per-event rules ({@link JobEventRules}) apply to one job: its timeout,
 * how long it may wait queued, how long Ray may take to confirm a timeout's stop, how a
 * transient submit failure is retried.
 *
 * @param defaultTimeout timeout of a job that set none
 * @param poolTimeouts per-pool overrides of {@code defaultTimeout}
 * @param maxQueuedTime how long a job may wait QUEUED before it is REJECTED; null for no
 * limit
 * @param stopGrace how long a timed-out job waits for Ray to confirm the stop before it
 * ends TIMED_OUT anyway
 * @param submitRetry how a retryable submit failure is retried
 * @param maxTimeout the longest timeout a JobSpec may ask for (a longer one is REJECTED)
 * @param activeJobCaps how many jobs each user may have queued or running
 * ({@code max_jobs}); a SubmitJob beyond it is REJECTED
 */
public record JobLimits(Duration defaultTimeout, Map<String, Duration> poolTimeouts, Duration maxQueuedTime,
		Duration stopGrace, SubmitRetryPolicy submitRetry, Duration maxTimeout, UserLimit activeJobCaps) {

	public JobLimits {
		defaultTimeout = (defaultTimeout != null) ? defaultTimeout : Duration.ofHours(24);
		poolTimeouts = (poolTimeouts != null) ? Map.copyOf(poolTimeouts) : Map.of();
		stopGrace = (stopGrace != null) ? stopGrace : Duration.ofMinutes(2);
		submitRetry = (submitRetry != null) ? submitRetry : SubmitRetryPolicy.defaults();
		maxTimeout = (maxTimeout != null) ? maxTimeout : JobSpecValidator.DEFAULT_MAX_TIMEOUT;
		activeJobCaps = (activeJobCaps != null) ? activeJobCaps : UserLimit.UNLIMITED;
	}

	/** The limits without a per-user cap on queued and running jobs. */
	public JobLimits(Duration defaultTimeout, Map<String, Duration> poolTimeouts, Duration maxQueuedTime,
			Duration stopGrace, SubmitRetryPolicy submitRetry, Duration maxTimeout) {
		this(defaultTimeout, poolTimeouts, maxQueuedTime, stopGrace, submitRetry, maxTimeout, null);
	}

	/** The limits with the default timeout limit (30 days). */
	public JobLimits(Duration defaultTimeout, Map<String, Duration> poolTimeouts, Duration maxQueuedTime,
			Duration stopGrace, SubmitRetryPolicy submitRetry) {
		this(defaultTimeout, poolTimeouts, maxQueuedTime, stopGrace, submitRetry, null, null);
	}

	/**
	 * 24h timeout, no queued-time limit, 2 min grace, the default submit retries,
	 * timeouts of at most 30 days.
	 */
	public static JobLimits defaults() {
		return new JobLimits(null, null, null, null, null, null, null);
	}

	/** The job's timeout: its own, or its pool's default. */
	public Duration timeoutOf(JobView view) {
		Duration pool = this.poolTimeouts.getOrDefault(view.pool(), this.defaultTimeout);
		return (view.spec() != null) ? view.spec().timeoutDuration().orElse(pool) : pool;
	}

}
