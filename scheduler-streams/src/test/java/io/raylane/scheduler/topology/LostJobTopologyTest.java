package io.raylane.scheduler.topology;

import java.time.Duration;

import io.raylane.topics.Jobs;
import io.raylane.topics.events.JobLost;
import io.raylane.topics.events.StopOnRay;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.events.Submitted;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JobLost through the real topology (issue 11 item 4): the running job Ray forgot ends
 * FAILED with the reason {@code ray_lost_job}, its GPUs go to the next job in the queue,
 * and it is never submitted again.
 */
class LostJobTopologyTest extends TopologyTestSupport {

	@Test
	void shouldFailARunningJobRayLostAndGiveItsGpusToTheNextJob() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).submit());
		this.scheduler.submit(Jobs.aJob("rl-2").gang(1, 4).submit());
		this.scheduler.result(new Submitted("rl-1", SchedulerDriver.POOL, false, this.scheduler.now()));
		this.scheduler.observe("rl-1", "RUNNING", this.scheduler.now().toEpochMilli(), null, null, null);
		assertThat(this.scheduler.job("rl-2").status()).isEqualTo(JobStatus.QUEUED);

		this.scheduler
			.lost(new JobLost("rl-1", SchedulerDriver.POOL, "RUNNING", this.scheduler.now(), this.scheduler.now()));
		this.scheduler.advance(Duration.ofMinutes(5));

		JobView lost = this.scheduler.job("rl-1");
		assertThat(lost.status()).isEqualTo(JobStatus.FAILED);
		assertThat(lost.reason()).startsWith("ray_lost_job: Ray no longer knows this job (head restarted?)");
		assertThat(lost.endedAt()).isNotNull();
		assertThat(this.scheduler.commandsFor("rl-1")).hasSize(2)
			.satisfies((commands) -> assertThat(commands.get(0)).isInstanceOf(SubmitToRay.class))
			.last()
			.isEqualTo(new StopOnRay("rl-1", SchedulerDriver.POOL, "lost"));
		assertThat(this.scheduler.job("rl-2").status()).isEqualTo(JobStatus.DISPATCHED);
		assertThat(this.scheduler.nodeView("n1").jobs()).containsExactly("rl-2");
	}

	@Test
	void shouldLeaveAJobThatNeverReachedRayToItsSubmission() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).submit());

		this.scheduler
			.lost(new JobLost("rl-1", SchedulerDriver.POOL, "SUBMITTED", this.scheduler.now(), this.scheduler.now()));

		assertThat(this.scheduler.job("rl-1").status()).isEqualTo(JobStatus.DISPATCHED);
		assertThat(this.scheduler.nodeView("n1").jobs()).containsExactly("rl-1");
	}

}
