package io.raylane.scheduler.topology;

import java.util.List;
import java.util.Map;

import io.raylane.topics.Jobs;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.NodeObserved;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.junit.jupiter.api.Test;

import static io.raylane.scheduler.topology.SchedulerDriver.NOW;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14 through the real topology: GPUs held outside Raylane are not offered until the
 * observer reports them free, and a job's view carries Ray's actual placement beside its
 * reservation.
 */
class PlacementTruthTopologyTest extends TopologyTestSupport {

	@Test
	void shouldWaitForGpusHeldOutsideRaylaneAndStartWhenTheyAreFree() {
		this.scheduler.nodeEvent(new NodeObserved(1, "n1", "ip-of-n1", "default", true, 4, Map.of(), NOW, 3));

		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).submit());

		JobView waiting = this.scheduler.job("rl-1");
		assertThat(waiting.status()).isEqualTo(JobStatus.QUEUED);
		assertThat(waiting.reasons()).singleElement().satisfies((reason) -> {
			assertThat(reason.code()).isEqualTo("held_outside");
			assertThat(reason.detail()).contains("3 GPUs on node n1 held outside Raylane");
		});
		// the node table shows them (GET /v1/nodes: gpus_held_outside)
		assertThat(this.scheduler.nodeView("n1").gpusHeldOutside()).isEqualTo(3);

		this.scheduler.nodeEvent(new NodeObserved(1, "n1", "ip-of-n1", "default", true, 4, Map.of(), NOW, 0));

		JobView started = this.scheduler.job("rl-1");
		assertThat(started.status()).isEqualTo(JobStatus.DISPATCHED);
		assertThat(started.nodes()).containsExactly("n1");
		assertThat(this.scheduler.nodeView("n1").gpusHeldOutside()).isZero();
	}

	@Test
	void shouldShowRaysActualPlacementBesideTheReservationWhileTheJobRuns() {
		this.scheduler.node("n1", 4, true);
		this.scheduler.submit(Jobs.aJob("rl-1").gang(1, 4).submit());

		this.scheduler.observed(new JobObserved(1, "rl-1", "default", "RUNNING", "ip-of-n1", 1L, null, null,
				"Job is currently running.", null, NOW, null, null, null, List.of("ip-of-n1", "ip-of-n2")));

		JobView running = this.scheduler.job("rl-1");
		assertThat(running.status()).isEqualTo(JobStatus.RUNNING);
		assertThat(running.nodes()).containsExactly("n1");
		assertThat(running.placement()).containsExactly("ip-of-n1", "ip-of-n2");

		this.scheduler.observe("rl-1", "SUCCEEDED", 1L, 2L, 0, "Job finished successfully.");

		JobView ended = this.scheduler.job("rl-1");
		assertThat(ended.status()).isEqualTo(JobStatus.SUCCEEDED);
		assertThat(ended.placement()).isNull();
		assertThat(this.scheduler.nodeView("n1").gpusAllocated()).isZero();
	}

}
