package io.raylane.scheduler.topology;

import java.util.List;

import io.raylane.scheduler.core.UserLimit;
import io.raylane.topics.Jobs;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.WaitReason;
import org.junit.jupiter.api.Test;

import static io.raylane.scheduler.topology.SchedulerDriver.NOW;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 "Fair use of shared limits" through the real topology: the per-user counters
 * of jobs on the Ray head and of jobs queued or running go up and down with the jobs'
 * lives, across pools, and the caps hold. The SubmitJob records go straight onto
 * {@code raylane.job-commands}, bypassing the API's own check.
 */
class FairUseTopologyTest extends TopologyTestSupport {

	private static final SchedulingPolicy CAPPED = SchedulingPolicy.defaults()
		.withRayJobCaps(UserLimit.of(1))
		.withActiveJobCaps(UserLimit.of(3));

	private SchedulerDriver capped() {
		this.scheduler.close();
		this.scheduler = new SchedulerDriver(this.stateDir.resolve("capped"), this.sharedRoot, CAPPED);
		return this.scheduler;
	}

	@Test
	void shouldHoldAUsersJobsBeyondTheirShareOfTheRayHeadAndLetOthersPass() {
		SchedulerDriver s = capped();
		s.node("n1", 8, true);
		s.node("a100", "m1", 8, true);

		s.submit(Jobs.aJob("rl-a1").user("alice").gang(1, 0).acceptedAt(NOW).submit());
		s.submit(Jobs.aJob("rl-a2").user("alice").gang(1, 0).pool("a100").acceptedAt(NOW.plusSeconds(1)).submit());
		s.submit(Jobs.aJob("rl-b1").user("bob").gang(1, 0).acceptedAt(NOW.plusSeconds(2)).submit());

		assertThat(s.job("rl-a1").status()).isEqualTo(JobStatus.DISPATCHED);
		// the other pool counts alice's job on the Ray head too
		assertThat(s.job("rl-a2").status()).isEqualTo(JobStatus.QUEUED);
		assertThat(s.job("rl-a2").reasons()).extracting(WaitReason::code).containsExactly("ray_head_share");
		assertThat(s.job("rl-b1").status()).isEqualTo(JobStatus.DISPATCHED);

		long start = NOW.toEpochMilli();
		s.observe("rl-a1", "SUCCEEDED", start, start + 1000, 0, null);
		// a job of the other pool plans when its pool next sees an event
		s.node("a100", "m1", 8, true);

		assertThat(s.job("rl-a2").status()).isEqualTo(JobStatus.DISPATCHED);
	}

	@Test
	void shouldRejectASubmitBeyondTheUsersJobsQueuedOrRunningAndAcceptOneOnceAJobEnded() {
		SchedulerDriver s = capped();
		s.node("n1", 8, true);
		for (String id : List.of("rl-1", "rl-2", "rl-3")) {
			s.submit(Jobs.aJob(id).user("alice").gang(1, 8).submit());
		}

		s.submit(Jobs.aJob("rl-4").user("alice").gang(1, 8).submit());
		s.submit(Jobs.aJob("rl-b").user("bob").gang(1, 8).submit());

		assertThat(s.job("rl-4").status()).isEqualTo(JobStatus.REJECTED);
		assertThat(s.job("rl-4").reason())
			.isEqualTo("its owner has 3 jobs queued or running, the most one user may have (max_jobs: 3)");
		assertThat(s.job("rl-b").status()).isEqualTo(JobStatus.QUEUED);

		s.stop("rl-3", "alice");
		s.submit(Jobs.aJob("rl-5").user("alice").gang(1, 8).submit());

		assertThat(s.job("rl-5").status()).isEqualTo(JobStatus.QUEUED);
	}

}
