package io.raylane.scheduler.topology;

import io.raylane.topics.Jobs;
import io.raylane.topics.events.SubmitFailed;
import io.raylane.topics.events.Submitted;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.node.NodeState;
import org.junit.jupiter.api.Test;

import static io.raylane.scheduler.topology.SchedulerDriver.NOW;
import static org.assertj.core.api.Assertions.assertThat;

/** Submit results, Ray observations and node changes through the real topology. */
class LifecycleTopologyTest extends TopologyTestSupport {

	@Test
	void shouldMarkAJobSubmittedWhenRayAcceptedIt() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).submit());

		this.scheduler.result(new Submitted("rl-1", "default", false, NOW));

		assertThat(this.scheduler.job("rl-1").status()).isEqualTo(JobStatus.SUBMITTED);
	}

	@Test
	void shouldTakeAPendingObservationOfADispatchedJobAsItsSubmission() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).submit());

		this.scheduler.observe("rl-1", "PENDING", null, null, null, "Job has not started yet.");

		assertThat(this.scheduler.job("rl-1").status()).isEqualTo(JobStatus.SUBMITTED);
	}

	@Test
	void shouldReleaseReservationWhenSubmitFailsAndAdmitTheNextJob() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).submit());
		this.scheduler.submit(Jobs.aJob("rl-2").gang(1, 4).submit());

		this.scheduler.result(new SubmitFailed("rl-1", "default", false, "HTTP 400: bad runtime_env", NOW));

		assertThat(this.scheduler.job("rl-1").status()).isEqualTo(JobStatus.FAILED);
		assertThat(this.scheduler.job("rl-1").reason()).isEqualTo("submit failed: HTTP 400: bad runtime_env");
		assertThat(this.scheduler.job("rl-2").status()).isEqualTo(JobStatus.DISPATCHED);
		assertThat(this.scheduler.nodeView("n1").jobs()).containsExactly("rl-2");
	}

	@Test
	void shouldNeverResurrectATerminalJob() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).submit());
		this.scheduler.observe("rl-1", "FAILED", null, 1_767_225_710_000L, 1, "exit code 1");
		int views = this.scheduler.jobViews.size();

		this.scheduler.observe("rl-1", "RUNNING", 1_767_225_700_000L, null, null, null);
		this.scheduler.result(new Submitted("rl-1", "default", true, NOW));

		assertThat(this.scheduler.jobViews).hasSize(views);
		assertThat(this.scheduler.job("rl-1").status()).isEqualTo(JobStatus.FAILED);
		assertThat(this.scheduler.job("rl-1").exitCode()).isEqualTo(1);
	}

	@Test
	void shouldIgnoreObservationsOfUnknownJobs() {
		this.scheduler.observe("rl-unknown", "RUNNING", 1_767_225_700_000L, null, null, null);

		assertThat(this.scheduler.jobViews).isEmpty();
		assertThat(this.scheduler.letters).isEmpty();
	}

	@Test
	void shouldKeepADeadNodesAllocationsUntilItsJobEnds() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).submit());
		this.scheduler.observe("rl-1", "RUNNING", 1_767_225_700_000L, null, null, null);

		this.scheduler.node("n1", 4, false);

		assertThat(this.scheduler.nodeView("n1").state()).isEqualTo(NodeState.OFFLINE);
		assertThat(this.scheduler.nodeView("n1").jobs()).containsExactly("rl-1");
		assertThat(this.scheduler.job("rl-1").status()).isEqualTo(JobStatus.RUNNING);

		this.scheduler.observe("rl-1", "FAILED", 1_767_225_700_000L, 1_767_225_710_000L, null, "node died");

		assertThat(this.scheduler.nodeView("n1").gpusAllocated()).isZero();
		assertThat(this.scheduler.job("rl-1").reason()).isEqualTo("node died");
	}

}
