package io.raylane.scheduler.topology;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.raylane.topics.Jobs;
import io.raylane.topics.events.StopOnRay;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 item 1: a job whose data makes a decision throw (a deadline past what an
 * {@link Instant} or the deadline index can hold) ends REJECTED with the reason, and the
 * pool goes on dispatching. The SubmitJob records go straight onto
 * {@code raylane.job-commands}, bypassing the API, as any producer may write them.
 */
class PoisonJobTopologyTest {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	/**
	 * No bound on timeouts: the scheduler as it was before the bound, or misconfigured.
	 */
	private static final SchedulingPolicy UNBOUNDED = SchedulingPolicy.defaults()
		.withMaxJobTimeout(Duration.ofSeconds(Long.MAX_VALUE));

	@TempDir
	Path stateDir;

	@TempDir
	Path sharedRoot;

	@Test
	void shouldRejectAJobWhoseTimeoutOverflowsTheClockAndDispatchTheNext() {
		try (SchedulerDriver scheduler = new SchedulerDriver(this.stateDir, this.sharedRoot, UNBOUNDED)) {
			scheduler.node("n1", 4, true);

			scheduler.submit(Jobs.aJob("rl-poison").gang(1, 4).timeout("1000000000000d").acceptedAt(T0).submit());
			scheduler.submit(Jobs.aJob("rl-next").gang(1, 4).acceptedAt(T0.plusSeconds(1)).submit());

			JobView poison = scheduler.job("rl-poison");
			assertThat(poison.status()).isEqualTo(JobStatus.REJECTED);
			assertThat(poison.reason()).contains("could not be scheduled").contains("1000000000000d");
			assertThat(scheduler.commandsFor("rl-poison")).isEmpty();
			assertThat(scheduler.job("rl-next").status()).isEqualTo(JobStatus.DISPATCHED);
			assertThat(scheduler.nodeView("n1").jobs()).containsExactly("rl-next");
		}
	}

	@Test
	void shouldGoOnWhenTheNodeArrivesAfterThePoisonJobQueued() {
		try (SchedulerDriver scheduler = new SchedulerDriver(this.stateDir, this.sharedRoot, UNBOUNDED)) {
			scheduler
				.submit(Jobs.aJob("rl-poison").gang(1, 2).timeout("PT9223372036854775807S").acceptedAt(T0).submit());
			scheduler.submit(Jobs.aJob("rl-next").gang(1, 2).acceptedAt(T0.plusSeconds(1)).submit());
			assertThat(scheduler.job("rl-poison").status()).isEqualTo(JobStatus.QUEUED);

			scheduler.node("n1", 4, true);

			assertThat(scheduler.job("rl-poison").status()).isEqualTo(JobStatus.REJECTED);
			assertThat(scheduler.job("rl-next").status()).isEqualTo(JobStatus.DISPATCHED);
			scheduler.submit(Jobs.aJob("rl-after").gang(1, 2).acceptedAt(T0.plusSeconds(2)).submit());
			assertThat(scheduler.job("rl-after").status()).isEqualTo(JobStatus.DISPATCHED);
		}
	}

	@Test
	void shouldRejectAJobWhoseAcceptedAtOverflowsTheQueuedTimeLimit() {
		SchedulingPolicy policy = SchedulingPolicy.defaults().withMaxQueuedTime(Duration.ofHours(1));
		try (SchedulerDriver scheduler = new SchedulerDriver(this.stateDir, this.sharedRoot, policy)) {
			scheduler.node("n1", 4, true);

			scheduler.submit(Jobs.aJob("rl-late").gang(1, 4).acceptedAt(Instant.MAX).submit());
			scheduler.submit(Jobs.aJob("rl-next").gang(1, 4).acceptedAt(T0).submit());

			assertThat(scheduler.job("rl-late").status()).isEqualTo(JobStatus.REJECTED);
			assertThat(scheduler.job("rl-late").reason()).contains("could not be scheduled");
			assertThat(scheduler.job("rl-next").status()).isEqualTo(JobStatus.DISPATCHED);
		}
	}

	@Test
	void shouldRejectATimeoutPastTheLimitAtOnceNamingTheField() {
		try (SchedulerDriver scheduler = new SchedulerDriver(this.stateDir, this.sharedRoot)) {
			scheduler.node("n1", 4, true);

			scheduler.submit(Jobs.aJob("rl-poison").gang(1, 4).timeout("1000000000000d").acceptedAt(T0).submit());
			scheduler.submit(Jobs.aJob("rl-next").gang(1, 4).acceptedAt(T0.plusSeconds(1)).submit());

			assertThat(scheduler.job("rl-poison").status()).isEqualTo(JobStatus.REJECTED);
			assertThat(scheduler.job("rl-poison").reason()).contains("timeout").contains("at most 30d");
			assertThat(scheduler.job("rl-next").status()).isEqualTo(JobStatus.DISPATCHED);
		}
	}

	@Test
	void shouldFailAJobOnRayWhoseObservationBreaksItsDeadlineAndFreeItsGpus() {
		try (SchedulerDriver scheduler = new SchedulerDriver(this.stateDir, this.sharedRoot)) {
			scheduler.node("n1", 4, true);
			scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).acceptedAt(T0).submit());
			scheduler.submit(Jobs.aJob("rl-2").gang(1, 4).acceptedAt(T0.plusSeconds(1)).submit());

			// a start time no clock reaches: its deadline cannot be recorded
			scheduler.observe("rl-1", "RUNNING", Long.MAX_VALUE, null, null, null);

			JobView failed = scheduler.job("rl-1");
			assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
			assertThat(failed.reason()).startsWith("could not be scheduled");
			assertThat(scheduler.commandsFor("rl-1")).last().isInstanceOf(StopOnRay.class);
			assertThat(scheduler.job("rl-2").status()).isEqualTo(JobStatus.DISPATCHED);
			assertThat(scheduler.letters).isEmpty();
		}
	}

}
