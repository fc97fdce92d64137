package io.raylane.scheduler.topology;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;
import io.raylane.topics.Jobs;
import io.raylane.topics.job.JobStatus;
import org.junit.jupiter.api.Test;

import static io.raylane.scheduler.topology.SchedulerDriver.NOW;
import static io.raylane.scheduler.topology.SchedulerDriver.POOL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topology's meters: decisions timed per pool, each dispatched job's wait, the
 * Ray-head cap.
 */
class MetricsTopologyTest extends TopologyTestSupport {

	@Test
	void shouldRecordTheWaitOfAJobDispatchedAtOnce() {
		this.scheduler.node("n1", 4, true);

		this.scheduler.submit(Jobs.aJob("w-1").gang(1, 4).acceptedAt(NOW.minusSeconds(90)).submit());

		assertThat(this.scheduler.job("w-1").status()).isEqualTo(JobStatus.DISPATCHED);
		Timer wait = waitTimer(POOL);
		assertThat(wait.count()).isEqualTo(1);
		assertThat(wait.totalTime(TimeUnit.SECONDS)).isEqualTo(90.0);
	}

	@Test
	void shouldRecordTheWaitOfAQueuedJobWhenItIsDispatchedLater() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.submit(Jobs.aJob("w-1").gang(1, 4).acceptedAt(NOW).submit());
		this.scheduler.submit(Jobs.aJob("w-2").gang(1, 4).acceptedAt(NOW).submit());
		assertThat(this.scheduler.job("w-2").status()).isEqualTo(JobStatus.QUEUED);
		assertThat(waitTimer(POOL).count()).isEqualTo(1);

		this.scheduler.advance(Duration.ofMinutes(7));
		this.scheduler.observe("w-1", "SUCCEEDED", 1L, 2L, 0, "done");

		Instant dispatchedAt = this.scheduler.job("w-2").dispatchedAt();
		assertThat(this.scheduler.job("w-2").status()).isEqualTo(JobStatus.DISPATCHED);
		assertThat(dispatchedAt).isEqualTo(NOW.plus(Duration.ofMinutes(7)));
		Timer wait = waitTimer(POOL);
		assertThat(wait.count()).isEqualTo(2);
		// w-1 waited 0 s, w-2 from its submission to its dispatch by the test clock
		assertThat(wait.totalTime(TimeUnit.SECONDS)).isEqualTo(Duration.between(NOW, dispatchedAt).toSeconds());
		assertThat(wait.max(TimeUnit.SECONDS)).isEqualTo(420.0);
	}

	@Test
	void shouldTimeEveryInputRecordOfAPoolAndTagItWithThePool() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.node("gpu-a", "a1", 8, true);
		this.scheduler.submit(Jobs.aJob("d-1").gang(1, 4).submit());

		assertThat(decisionTimer(POOL).count()).isEqualTo(2);
		assertThat(decisionTimer("gpu-a").count()).isEqualTo(1);
		assertThat(decisionTimer(POOL).totalTime(TimeUnit.NANOSECONDS)).isPositive();
		// a job that is not dispatched records no wait
		assertThat(this.scheduler.meters.find(SchedulerMetrics.JOB_WAIT).tag("pool", "gpu-a").timer()).isNull();
	}

	@Test
	void shouldExportTheRayHeadCapAsAGauge() {
		assertThat(this.scheduler.meters.get(SchedulerMetrics.ACTIVE_JOBS_LIMIT).gauge().value()).isEqualTo(100.0);
	}

	private Timer waitTimer(String pool) {
		return this.scheduler.meters.get(SchedulerMetrics.JOB_WAIT).tag("pool", pool).timer();
	}

	private Timer decisionTimer(String pool) {
		return this.scheduler.meters.get(SchedulerMetrics.DECISION).tag("pool", pool).timer();
	}

}
