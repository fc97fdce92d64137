package io.raylane.scheduler.topology;

import java.time.Duration;
import java.util.List;

import io.raylane.topics.Jobs;
import io.raylane.topics.events.DispatchCommand;
import io.raylane.topics.events.StopOnRay;
import io.raylane.topics.events.SubmitFailed;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.events.Submitted;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.job.WaitReason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A retryable SubmitFailed through the real topology: the job keeps its reservation and
 * the same SubmitToRay is sent again after the back-off, by the deadline index's
 * punctuator; past the retry period (default 10 minutes) the job fails with the reason
 * and the queue behind it moves.
 */
class SubmitRetryTopologyTest extends TopologyTestSupport {

	private static final String UNAVAILABLE = "Ray unavailable after 5 attempts: Connection refused";

	@Test
	void shouldSubmitTheSameJobAgainAfterTheBackOffWhenRayWasUnavailable() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).submit());
		DispatchCommand first = this.scheduler.commandsFor("rl-1").get(0);

		this.scheduler.result(unavailable());

		JobView waiting = this.scheduler.job("rl-1");
		assertThat(waiting.status()).isEqualTo(JobStatus.DISPATCHED);
		assertThat(waiting.reasons()).extracting(WaitReason::code).containsExactly("ray_unavailable");
		assertThat(this.scheduler.nodeView("n1").jobs()).containsExactly("rl-1");
		this.scheduler.advance(Duration.ofSeconds(4));
		assertThat(this.scheduler.commandsFor("rl-1")).hasSize(1);

		this.scheduler.advance(Duration.ofSeconds(1));

		assertThat(this.scheduler.commandsFor("rl-1")).containsExactly(first, first);
		this.scheduler.result(new Submitted("rl-1", SchedulerDriver.POOL, false, this.scheduler.now()));
		JobView submitted = this.scheduler.job("rl-1");
		assertThat(submitted.status()).isEqualTo(JobStatus.SUBMITTED);
		assertThat(submitted.reason()).isNull();
		assertThat(submitted.reasons()).isNull();
	}

	@Test
	void shouldFailTheJobWhenRayStaysUnavailableLongerThanTheRetryPeriodAndAdmitTheNext() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).submit());
		this.scheduler.submit(Jobs.aJob("rl-2").gang(1, 4).submit());

		// every submission fails; the back-off never exceeds 2 minutes, so each round
		// sends one more
		for (int round = 1; round <= 5; round++) {
			this.scheduler.result(unavailable());
			this.scheduler.advance(Duration.ofMinutes(2));
			assertThat(this.scheduler.commandsFor("rl-1")).hasSize(round + 1);
			assertThat(this.scheduler.job("rl-2").status()).isEqualTo(JobStatus.QUEUED);
		}
		this.scheduler.result(unavailable());

		JobView failed = this.scheduler.job("rl-1");
		assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
		assertThat(failed.reason()).isEqualTo(
				"submit failed: " + UNAVAILABLE + " (6 failures in PT10M, raylane.scheduler.submit-retry-period)");
		assertThat(this.scheduler.commandsFor("rl-1")).hasSize(6).allMatch(SubmitToRay.class::isInstance);
		assertThat(this.scheduler.job("rl-2").status()).isEqualTo(JobStatus.DISPATCHED);
		assertThat(this.scheduler.nodeView("n1").jobs()).containsExactly("rl-2");
		this.scheduler.advance(Duration.ofMinutes(3));
		assertThat(this.scheduler.commandsFor("rl-1")).hasSize(6);
	}

	@Test
	void shouldEndAJobWaitingForItsResubmissionWhenStoppedAndNeverSubmitItAgain() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).submit());
		this.scheduler.result(unavailable());

		this.scheduler.stop("rl-1", "bob");
		this.scheduler.advance(Duration.ofMinutes(1));

		assertThat(this.scheduler.job("rl-1").status()).isEqualTo(JobStatus.STOPPED);
		assertThat(this.scheduler.job("rl-1").reason()).isEqualTo("stopped by bob");
		assertThat(this.scheduler.nodeView("n1").jobs()).isEmpty();
		List<DispatchCommand> commands = this.scheduler.commandsFor("rl-1");
		assertThat(commands).hasSize(2).last().isEqualTo(new StopOnRay("rl-1", SchedulerDriver.POOL, "user"));
	}

	@Test
	void shouldFailAJobAtOnceWhenRayRefusesIt() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).submit());

		this.scheduler.result(new SubmitFailed("rl-1", SchedulerDriver.POOL, false, "HTTP 400: bad runtime_env",
				this.scheduler.now()));
		this.scheduler.advance(Duration.ofMinutes(1));

		assertThat(this.scheduler.job("rl-1").status()).isEqualTo(JobStatus.FAILED);
		assertThat(this.scheduler.commandsFor("rl-1")).hasSize(1);
	}

	private SubmitFailed unavailable() {
		return new SubmitFailed("rl-1", SchedulerDriver.POOL, true, UNAVAILABLE, this.scheduler.now());
	}

}
