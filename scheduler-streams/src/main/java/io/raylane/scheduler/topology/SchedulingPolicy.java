package io.raylane.scheduler.topology;

import java.time.Duration;
import java.util.Map;

import io.raylane.jobspec.JobSpecValidator;
import io.raylane.scheduler.core.GpuQuotas;
import io.raylane.scheduler.core.JobLimits;
import io.raylane.scheduler.core.NodeRecovery;
import io.raylane.scheduler.core.SubmitRetryPolicy;
import io.raylane.scheduler.core.UserLimit;

/**
 * The scheduler's policy knobs, from {@code raylane.scheduler.*} and the users file.
 *
 * @param defaultTimeout timeout of a job that set none (its deadline, and what backfill
 * assumes)
 * @param poolTimeouts per-pool overrides of {@code defaultTimeout}
 * @param quotas per-user GPU quotas ({@code gpu_quota} of the users file, then the
 * default)
 * @param maxActiveRayJobs cap on Raylane jobs active on the Ray head at once
 * @param maxQueuedTime how long a job may wait QUEUED before it is REJECTED; null for no
 * limit
 * @param stopGrace how long a timed-out job waits for Ray to confirm the stop before it
 * ends TIMED_OUT anyway
 * @param timeoutCheckInterval how often the wall-clock punctuator looks at the deadline
 * index
 * @param submitRetry how a retryable submit failure is retried (10 minutes, back-off from
 * 5 s to 2 min)
 * @param maxJobTimeout the longest timeout a JobSpec may ask for
 * ({@code raylane.jobs.max-timeout}, 30 days); a SubmitJob asking more is REJECTED
 * @param nodeRecovery what happens to a registered node Ray reports dead (60 s to be
 * declared lost, then up to 3 re-provisionings)
 * @param rayJobCaps how many jobs each user may have on the Ray head at once
 * ({@code max_ray_jobs} of the users file, then the default); none when null
 * @param activeJobCaps how many jobs each user may have queued or running
 * ({@code max_jobs}, then {@code raylane.jobs.max-active-per-user}); none when null
 */
public record SchedulingPolicy(Duration defaultTimeout, Map<String, Duration> poolTimeouts, GpuQuotas quotas,
		int maxActiveRayJobs, Duration maxQueuedTime, Duration stopGrace, Duration timeoutCheckInterval,
		SubmitRetryPolicy submitRetry, Duration maxJobTimeout, NodeRecovery nodeRecovery, UserLimit rayJobCaps,
		UserLimit activeJobCaps) {

	public SchedulingPolicy {
		defaultTimeout = (defaultTimeout != null) ? defaultTimeout : Duration.ofHours(24);
		poolTimeouts = (poolTimeouts != null) ? Map.copyOf(poolTimeouts) : Map.of();
		quotas = (quotas != null) ? quotas : GpuQuotas.UNLIMITED;
		maxActiveRayJobs = (maxActiveRayJobs > 0) ? maxActiveRayJobs : 100;
		stopGrace = (stopGrace != null) ? stopGrace : Duration.ofMinutes(2);
		timeoutCheckInterval = (timeoutCheckInterval != null) ? timeoutCheckInterval : Duration.ofSeconds(5);
		submitRetry = (submitRetry != null) ? submitRetry : SubmitRetryPolicy.defaults();
		maxJobTimeout = (maxJobTimeout != null) ? maxJobTimeout : JobSpecValidator.DEFAULT_MAX_TIMEOUT;
		nodeRecovery = (nodeRecovery != null) ? nodeRecovery : NodeRecovery.defaults();
		rayJobCaps = (rayJobCaps != null) ? rayJobCaps : UserLimit.UNLIMITED;
		activeJobCaps = (activeJobCaps != null) ? activeJobCaps : UserLimit.UNLIMITED;
	}

	/** The policy without per-user caps on jobs. */
	public SchedulingPolicy(Duration defaultTimeout, Map<String, Duration> poolTimeouts, GpuQuotas quotas,
			int maxActiveRayJobs, Duration maxQueuedTime, Duration stopGrace, Duration timeoutCheckInterval,
			SubmitRetryPolicy submitRetry, Duration maxJobTimeout, NodeRecovery nodeRecovery) {
		this(defaultTimeout, poolTimeouts, quotas, maxActiveRayJobs, maxQueuedTime, stopGrace, timeoutCheckInterval,
				submitRetry, maxJobTimeout, nodeRecovery, null, null);
	}

	/** The policy with the default timeout limit and node recovery. */
	public SchedulingPolicy(Duration defaultTimeout, Map<String, Duration> poolTimeouts, GpuQuotas quotas,
			int maxActiveRayJobs, Duration maxQueuedTime, Duration stopGrace, Duration timeoutCheckInterval,
			SubmitRetryPolicy submitRetry) {
		this(defaultTimeout, poolTimeouts, quotas, maxActiveRayJobs, maxQueuedTime, stopGrace, timeoutCheckInterval,
				submitRetry, null, null);
	}

	/** The policy with the default submit retries. */
	public SchedulingPolicy(Duration defaultTimeout, Map<String, Duration> poolTimeouts, GpuQuotas quotas,
			int maxActiveRayJobs, Duration maxQueuedTime, Duration stopGrace, Duration timeoutCheckInterval) {
		this(defaultTimeout, poolTimeouts, quotas, maxActiveRayJobs, maxQueuedTime, stopGrace, timeoutCheckInterval,
				null);
	}

	/**
	 * 24h default timeout, no quota, 100 active Ray jobs, no queued-time limit, 2 min
	 * grace, 5 s checks, timeouts of at most 30 days.
	 */
	public static SchedulingPolicy defaults() {
		return new SchedulingPolicy(null, null, null, 0, null, null, null, null, null, null, null, null);
	}

	public Duration timeoutOf(String pool) {
		return this.poolTimeouts.getOrDefault(pool, this.defaultTimeout);
	}

	/**
	 * What the per-event rules of one job apply
	 * ({@link io.raylane.scheduler.core.JobEventRules}).
	 */
	public JobLimits jobLimits() {
		return new JobLimits(this.defaultTimeout, this.poolTimeouts, this.maxQueuedTime, this.stopGrace,
				this.submitRetry, this.maxJobTimeout, this.activeJobCaps);
	}

	public SchedulingPolicy withQuotas(GpuQuotas next) {
		return new SchedulingPolicy(this.defaultTimeout, this.poolTimeouts, next, this.maxActiveRayJobs,
				this.maxQueuedTime, this.stopGrace, this.timeoutCheckInterval, this.submitRetry, this.maxJobTimeout,
				this.nodeRecovery, this.rayJobCaps, this.activeJobCaps);
	}

	public SchedulingPolicy withMaxActiveRayJobs(int max) {
		return new SchedulingPolicy(this.defaultTimeout, this.poolTimeouts, this.quotas, max, this.maxQueuedTime,
				this.stopGrace, this.timeoutCheckInterval, this.submitRetry, this.maxJobTimeout, this.nodeRecovery,
				this.rayJobCaps, this.activeJobCaps);
	}

	public SchedulingPolicy withMaxQueuedTime(Duration max) {
		return new SchedulingPolicy(this.defaultTimeout, this.poolTimeouts, this.quotas, this.maxActiveRayJobs, max,
				this.stopGrace, this.timeoutCheckInterval, this.submitRetry, this.maxJobTimeout, this.nodeRecovery,
				this.rayJobCaps, this.activeJobCaps);
	}

	public SchedulingPolicy withSubmitRetry(SubmitRetryPolicy next) {
		return new SchedulingPolicy(this.defaultTimeout, this.poolTimeouts, this.quotas, this.maxActiveRayJobs,
				this.maxQueuedTime, this.stopGrace, this.timeoutCheckInterval, next, this.maxJobTimeout,
				this.nodeRecovery, this.rayJobCaps, this.activeJobCaps);
	}

	public SchedulingPolicy withMaxJobTimeout(Duration max) {
		return new SchedulingPolicy(this.defaultTimeout, this.poolTimeouts, this.quotas, this.maxActiveRayJobs,
				this.maxQueuedTime, this.stopGrace, this.timeoutCheckInterval, this.submitRetry, max, this.nodeRecovery,
				this.rayJobCaps, this.activeJobCaps);
	}

	public SchedulingPolicy withNodeRecovery(NodeRecovery next) {
		return new SchedulingPolicy(this.defaultTimeout, this.poolTimeouts, this.quotas, this.maxActiveRayJobs,
				this.maxQueuedTime, this.stopGrace, this.timeoutCheckInterval, this.submitRetry, this.maxJobTimeout,
				next, this.rayJobCaps, this.activeJobCaps);
	}

	public SchedulingPolicy withRayJobCaps(UserLimit next) {
		return new SchedulingPolicy(this.defaultTimeout, this.poolTimeouts, this.quotas, this.maxActiveRayJobs,
				this.maxQueuedTime, this.stopGrace, this.timeoutCheckInterval, this.submitRetry, this.maxJobTimeout,
				this.nodeRecovery, next, this.activeJobCaps);
	}

	public SchedulingPolicy withActiveJobCaps(UserLimit next) {
		return new SchedulingPolicy(this.defaultTimeout, this.poolTimeouts, this.quotas, this.maxActiveRayJobs,
				this.maxQueuedTime, this.stopGrace, this.timeoutCheckInterval, this.submitRetry, this.maxJobTimeout,
				this.nodeRecovery, this.rayJobCaps, next);
	}

}
