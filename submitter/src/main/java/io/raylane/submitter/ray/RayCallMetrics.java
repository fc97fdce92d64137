package io.raylane.submitter.ray;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * Times every HTTP exchange of the submitter with Ray's Jobs API (docs/metrics.md,
 * submitter): {@code raylane_submitter_ray_call_seconds{operation,outcome}},
 * {@code operation} = {@code submit}, {@code stop}, {@code logs}, {@code delete} or
 * {@code list}, {@code outcome} = {@code success} for a 200 answer and {@code error} for
 * any other status (Ray's 4xx/5xx, its 404 for an unknown job and its 500 for a duplicate
 * submission included) or an I/O error. Each attempt of a retried call is one sample, so
 * Ray's flakiness shows even when the retries hide it from the caller. The histogram is
 * configured here, not in yaml.
 */
public final class RayCallMetrics {

	/** Prometheus {@code raylane_submitter_ray_call_seconds}. */
	public static final String NAME = "raylane.submitter.ray.call";

	public static final String SUCCESS = "success";

	public static final String ERROR = "error";

	private final MeterRegistry registry;

	public RayCallMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/** Meters that go nowhere (a registry without children). */
	public static RayCallMetrics none() {
		return new RayCallMetrics(new CompositeMeterRegistry());
	}

	/**
	 * One exchange of {@code operation} ended with {@code outcome} after {@code nanos}.
	 */
	void record(String operation, String outcome, long nanos) {
		// Micrometer keeps one meter per name and tags: a second register returns the
		// first
		Timer.builder(NAME)
			.description("Latency of each call to Ray's Jobs API; errors are the outcome=\"error\" series")
			.tag("operation", operation)
			.tag("outcome", outcome)
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(60))
			.register(this.registry)
			.record(nanos, TimeUnit.NANOSECONDS);
	}

}
