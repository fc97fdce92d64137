package io.raylane.scheduler.topology;

import java.nio.file.Path;
import java.time.Duration;

import io.raylane.topics.Jobs;
import io.raylane.topics.events.StopOnRay;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.raylane.scheduler.topology.SchedulerDriver.NOW;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wall-clock punctuator over the deadline index: timeouts, the stop grace, the
 * queued-time limit.
 */
class TimeoutTopologyTest {

	@TempDir
	Path stateDir;

	@TempDir
	Path sharedRoot;

	private SchedulerDriver scheduler;

	@BeforeEach
	void setUp() {
		SchedulingPolicy policy = new SchedulingPolicy(Duration.ofHours(24), null, null, 100, Duration.ofHours(1),
				Duration.ofMinutes(2), Duration.ofSeconds(10));
		this.scheduler = new SchedulerDriver(this.stateDir, this.sharedRoot, policy);
	}

	@AfterEach
	void tearDown() {
		this.scheduler.close();
	}

	@Test
	void shouldAskRayToStopAJobPastItsDeadlineAndEndItTimedOutWhenRayConfirms() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).timeout("10m").submit());
		this.scheduler.observe("rl-1", "RUNNING", NOW.toEpochMilli(), null, null, null);

		this.scheduler.advance(Duration.ofMinutes(9));
		assertThat(this.scheduler.commandsFor("rl-1")).hasSize(1);

		this.scheduler.advance(Duration.ofMinutes(2));
		assertThat(this.scheduler.commandsFor("rl-1")).last()
			.isEqualTo(new StopOnRay("rl-1", SchedulerDriver.POOL, "timeout"));
		assertThat(this.scheduler.job("rl-1").status()).isEqualTo(JobStatus.RUNNING);

		this.scheduler.observe("rl-1", "STOPPED", NOW.toEpochMilli(), NOW.plusSeconds(700).toEpochMilli(), null,
				"Job was intentionally stopped.");

		JobView view = this.scheduler.job("rl-1");
		assertThat(view.status()).isEqualTo(JobStatus.TIMED_OUT);
		assertThat(view.reason()).isEqualTo("timed out after PT10M");
		assertThat(this.scheduler.nodeView("n1").jobs()).isEmpty();
	}

	@Test
	void shouldCountTheTimeoutFromRaysStartNotFromTheDispatch() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).timeout("10m").submit());
		this.scheduler.observe("rl-1", "RUNNING", NOW.plusSeconds(300).toEpochMilli(), null, null, null);

		this.scheduler.advance(Duration.ofMinutes(11));
		assertThat(this.scheduler.commandsFor("rl-1")).hasSize(1);

		this.scheduler.advance(Duration.ofMinutes(5));
		assertThat(this.scheduler.commandsFor("rl-1")).last().isInstanceOf(StopOnRay.class);
	}

	@Test
	void shouldEndATimedOutJobAfterTheGraceWhenRayNeverAnswersAndAdmitTheNext() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).timeout("10m").submit());
		this.scheduler.submit(Jobs.aJob("rl-2").gang(1, 4).timeout("10m").submit());
		this.scheduler.advance(Duration.ofMinutes(11));
		assertThat(this.scheduler.job("rl-1").status()).isEqualTo(JobStatus.DISPATCHED);
		assertThat(this.scheduler.commandsFor("rl-2")).isEmpty();

		this.scheduler.advance(Duration.ofMinutes(3));

		JobView view = this.scheduler.job("rl-1");
		assertThat(view.status()).isEqualTo(JobStatus.TIMED_OUT);
		assertThat(view.reason()).isEqualTo("timed out after PT10M; Ray did not confirm the stop within PT2M");
		assertThat(this.scheduler.commandsFor("rl-2")).singleElement().isInstanceOf(SubmitToRay.class);
	}

	@Test
	void shouldKeepAJobThatSucceededJustAfterItsTimeoutSucceeded() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).timeout("10m").submit());
		this.scheduler.advance(Duration.ofMinutes(11));

		this.scheduler.observe("rl-1", "SUCCEEDED", NOW.toEpochMilli(), NOW.plusSeconds(650).toEpochMilli(), 0, "done");
		this.scheduler.advance(Duration.ofMinutes(3));

		assertThat(this.scheduler.job("rl-1").status()).isEqualTo(JobStatus.SUCCEEDED);
	}

	@Test
	void shouldRejectAJobQueuedLongerThanTheLimit() {
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).acceptedAt(NOW).submit());

		this.scheduler.advance(Duration.ofMinutes(59));
		assertThat(this.scheduler.job("rl-1").status()).isEqualTo(JobStatus.QUEUED);
		this.scheduler.advance(Duration.ofMinutes(2));

		JobView view = this.scheduler.job("rl-1");
		assertThat(view.status()).isEqualTo(JobStatus.REJECTED);
		assertThat(view.reason()).isEqualTo("queued longer than PT1H (raylane.scheduler.max-queued-time)");
	}

}
