package io.raylane.scheduler.core;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What bounds a planning cycle besides the pool's nodes: the time, the GPUs each user
 * holds now and their quotas, how many more jobs the Ray head may take, and the timeout
 * assumed for a job that set none.
 *
 * @param now the cycle's instant
 * @param gpusHeld GPUs each user holds now (users absent hold none)
 * @param quotas the per-user GPU limits
 * @param rayHeadSlots how many more jobs may become active on the Ray head
 * (Integer.MAX_VALUE for no cap)
 * @param defaultTimeout the pool's default job timeout, used for backfill and
 * reservations
 * @param rayJobsHeld jobs each user has on the Ray head now (dispatched, submitted or
 * running)
 * @param rayJobCaps how many jobs each user may have on the Ray head
 * ({@code max_ray_jobs})
 */
public record PlanLimits(Instant now, Map<String, Integer> gpusHeld, GpuQuotas quotas, int rayHeadSlots,
		Duration defaultTimeout, Map<String, Integer> rayJobsHeld, UserLimit rayJobCaps) {

	public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);

	public PlanLimits {
		gpusHeld = (gpusHeld != null) ? Map.copyOf(gpusHeld) : Map.of();
		quotas = (quotas != null) ? quotas : GpuQuotas.UNLIMITED;
		defaultTimeout = (defaultTimeout != null) ? defaultTimeout : DEFAULT_TIMEOUT;
		rayJobsHeld = (rayJobsHeld != null) ? Map.copyOf(rayJobsHeld) : Map.of();
		rayJobCaps = (rayJobCaps != null) ? rayJobCaps : UserLimit.UNLIMITED;
	}

	/** Without per-user caps on the Ray head. */
	public PlanLimits(Instant now, Map<String, Integer> gpusHeld, GpuQuotas quotas, int rayHeadSlots,
			Duration defaultTimeout) {
		this(now, gpusHeld, quotas, rayHeadSlots, defaultTimeout, null, null);
	}

	/** No quota, no Ray-head cap, the default timeout. */
	public static PlanLimits none(Instant now) {
		return new PlanLimits(now, Map.of(), GpuQuotas.UNLIMITED, Integer.MAX_VALUE, DEFAULT_TIMEOUT);
	}

	public PlanLimits withHeld(String user, int gpus) {
		Map<String, Integer> next = new HashMap<>(this.gpusHeld);
		next.put(user, gpus);
		return new PlanLimits(this.now, next, this.quotas, this.rayHeadSlots, this.defaultTimeout, this.rayJobsHeld,
				this.rayJobCaps);
	}

	public PlanLimits withQuotas(GpuQuotas next) {
		return new PlanLimits(this.now, this.gpusHeld, next, this.rayHeadSlots, this.defaultTimeout, this.rayJobsHeld,
				this.rayJobCaps);
	}

	public PlanLimits withRayHeadSlots(int slots) {
		return new PlanLimits(this.now, this.gpusHeld, this.quotas, slots, this.defaultTimeout, this.rayJobsHeld,
				this.rayJobCaps);
	}

	public PlanLimits withDefaultTimeout(Duration timeout) {
		return new PlanLimits(this.now, this.gpusHeld, this.quotas, this.rayHeadSlots, timeout, this.rayJobsHeld,
				this.rayJobCaps);
	}

	/** {@code user} has {@code jobs} jobs on the Ray head now. */
	public PlanLimits withRayJobsHeld(String user, int jobs) {
		Map<String, Integer> next = new HashMap<>(this.rayJobsHeld);
		next.put(user, jobs);
		return new PlanLimits(this.now, this.gpusHeld, this.quotas, this.rayHeadSlots, this.defaultTimeout, next,
				this.rayJobCaps);
	}

	public PlanLimits withRayJobCaps(UserLimit next) {
		return new PlanLimits(this.now, this.gpusHeld, this.quotas, this.rayHeadSlots, this.defaultTimeout,
				this.rayJobsHeld, next);
	}

	/** The timeout that bounds {@code job}: its own, or the pool's default. */
	Duration timeoutOf(QueuedJob job) {
		return (job.timeout() != null) ? job.timeout() : this.defaultTimeout;
	}

}
