package io.raylane.scheduler.topology;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.raylane.topics.job.JobView;

/**
 * The scheduler's own meters (docs/metrics.md, section scheduler-streams), recorded by
 * the topology:
 * <ul>
 * <li>{@code raylane_scheduler_decision_seconds{pool}}: time the pool processor takes to
 * handle one input record of the pool (folding it into the stores and the planning cycle
 * it triggers);</li>
 * <li>{@code raylane_job_wait_seconds{pool}}: {@code submitted_at} →
 * {@code dispatched_at} of each job when the planner dispatches it;</li>
 * <li>{@code raylane_ray_active_jobs_limit}: the cap on jobs active on the Ray head.</li>
 * </ul>
 * Meters are not part of the Streams transaction: a task that re-processes records after
 * a crash (its exactly-once transaction aborted) times those records and records those
 * dispatches' waits a second time. For latency histograms that is acceptable; nothing
 * downstream counts jobs from these meters. Histograms are configured here, not in yaml,
 * so every deployment exports the same buckets.
 */
public final class SchedulerMetrics {

	/** Prometheus {@code raylane_scheduler_decision_seconds}. */
	public static final String DECISION = "raylane.scheduler.decision";

	/** Prometheus {@code raylane_job_wait_seconds}. */
	public static final String JOB_WAIT = "raylane.job.wait";

	/** Prometheus {@code raylane_ray_active_jobs_limit}. */
	public static final String ACTIVE_JOBS_LIMIT = "raylane.ray.active.jobs.limit";

	/**
	 * Waits range from an instant dispatch to days in a busy pool; these buckets make SLO
	 * queries exact.
	 */
	static final Duration[] WAIT_BUCKETS = { Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(30),
			Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30),
			Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(6), Duration.ofHours(12), Duration.ofDays(1),
			Duration.ofDays(2), Duration.ofDays(7) };

	private final MeterRegistry registry;

	private final Map<String, Timer> decisions = new ConcurrentHashMap<>();

	private final Map<String, Timer> waits = new ConcurrentHashMap<>();

	/**
	 * @param registry where the meters go (Boot's registry in the service, a
	 * SimpleMeterRegistry in tests)
	 * @param activeRayJobsLimit the cap on jobs active on the Ray head, exported as a
	 * gauge
	 */
	public SchedulerMetrics(MeterRegistry registry, int activeRayJobsLimit) {
		this.registry = registry;
		Gauge.builder(ACTIVE_JOBS_LIMIT, () -> activeRayJobsLimit)
			.description("Cap on Raylane jobs active on the Ray head at once (RAYLANE_MAX_ACTIVE_RAY_JOBS)")
			.register(registry);
	}

	/**
	 * Meters that go nowhere (a registry without children), for topologies built without
	 * a registry.
	 */
	public static SchedulerMetrics none() {
		return new SchedulerMetrics(new CompositeMeterRegistry(), 0);
	}

	/** One input record of {@code pool} took {@code nanos} to handle. */
	void decided(String pool, long nanos) {
		this.decisions
			.computeIfAbsent(String.valueOf(pool),
					(p) -> Timer.builder(DECISION)
						.description("Time to process one input record of a pool, planning included")
						.tag("pool", p)
						.publishPercentileHistogram()
						.minimumExpectedValue(Duration.ofNanos(100_000))
						.maximumExpectedValue(Duration.ofSeconds(10))
						.register(this.registry))
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * A job was dispatched: records its wait from submission to dispatch (both from its
	 * view).
	 */
	void dispatched(JobView view) {
		if (view.submittedAt() == null || view.dispatchedAt() == null) {
			return;
		}
		Duration wait = Duration.between(view.submittedAt(), view.dispatchedAt());
		if (wait.isNegative()) {
			// the API's clock ran ahead of the scheduler's: the job did not wait
			wait = Duration.ZERO;
		}
		this.waits
			.computeIfAbsent(String.valueOf(view.pool()),
					(p) -> Timer.builder(JOB_WAIT)
						.description("Time from a job's submission to its dispatch")
						.tag("pool", p)
						.publishPercentileHistogram()
						.serviceLevelObjectives(WAIT_BUCKETS)
						.minimumExpectedValue(Duration.ofMillis(100))
						.maximumExpectedValue(Duration.ofDays(7))
						.register(this.registry))
			.record(wait);
	}

}
