package io.raylane.scheduler.topology;

import io.raylane.topics.Jobs;
import io.raylane.topics.events.StopDelivered;
import io.raylane.topics.events.StopOnRay;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.junit.jupiter.api.Test;

import static io.raylane.scheduler.topology.SchedulerDriver.NOW;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * StopJob through the real topology: a queued job ends at once, a job on Ray is stopped
 * there.
 */
class StopTopologyTest extends TopologyTestSupport {

	@Test
	void shouldStopAQueuedJobAtOnceWithoutReachingRay() {
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).submit());

		this.scheduler.stop("rl-1", "alice");

		JobView view = this.scheduler.job("rl-1");
		assertThat(view.status()).isEqualTo(JobStatus.STOPPED);
		assertThat(view.reason()).isEqualTo("stopped by alice");
		assertThat(view.endedAt()).isEqualTo(NOW);
		// it left the queue: capacity arriving later does not dispatch it
		this.scheduler.node("n1", 4, true);
		assertThat(this.scheduler.commands).isEmpty();
		assertThat(this.scheduler.job("rl-1").status()).isEqualTo(JobStatus.STOPPED);
	}

	@Test
	void shouldLetTheNextJobMoveUpWhenTheReservationHolderIsStopped() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.node("n2", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-big").gang(1, 4).submit());
		this.scheduler.submit(Jobs.aJob("rl-blocked").gang(2, 4).submit());
		this.scheduler.submit(Jobs.aJob("rl-small").gang(1, 2).timeout("48h").submit());
		assertThat(this.scheduler.commandsFor("rl-small")).isEmpty();
		assertThat(this.scheduler.job("rl-small").reason()).isEqualTo("held for the reservation of job rl-blocked");

		this.scheduler.stop("rl-blocked", "alice");

		assertThat(this.scheduler.commandsFor("rl-small")).hasSize(1);
	}

	@Test
	void shouldAskRayToStopARunningJobAndEndItWhenRayReportsStopped() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).submit());
		this.scheduler.observe("rl-1", "RUNNING", 1_767_225_700_000L, null, null, null);

		this.scheduler.stop("rl-1", "bob");

		assertThat(this.scheduler.commandsFor("rl-1")).last().isEqualTo(new StopOnRay("rl-1", "default", "user"));
		JobView requested = this.scheduler.job("rl-1");
		assertThat(requested.status()).isEqualTo(JobStatus.RUNNING);
		assertThat(requested.reason()).isEqualTo("stop requested by bob");
		assertThat(this.scheduler.nodeView("n1").gpusAllocated()).isEqualTo(4);

		this.scheduler.result(new StopDelivered("rl-1", "default", true, "user", NOW));
		assertThat(this.scheduler.job("rl-1").status()).isEqualTo(JobStatus.RUNNING);

		this.scheduler.observe("rl-1", "STOPPED", 1_767_225_700_000L, 1_767_225_710_000L, null,
				"Job was intentionally stopped.");

		JobView stopped = this.scheduler.job("rl-1");
		assertThat(stopped.status()).isEqualTo(JobStatus.STOPPED);
		assertThat(stopped.reason()).isEqualTo("stopped by bob");
		assertThat(stopped.message()).isEqualTo("Job was intentionally stopped.");
		assertThat(this.scheduler.nodeView("n1").gpusAllocated()).isZero();
	}

	@Test
	void shouldDoNothingWhenStoppingAFinishedJob() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).submit());
		this.scheduler.observe("rl-1", "SUCCEEDED", null, 1_767_225_710_000L, 0, null);
		int views = this.scheduler.jobViews.size();
		int commands = this.scheduler.commands.size();

		this.scheduler.stop("rl-1", "bob");

		assertThat(this.scheduler.jobViews).hasSize(views);
		assertThat(this.scheduler.commands).hasSize(commands);
	}

}
