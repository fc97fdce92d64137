package io.raylane.scheduler.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.raylane.topics.Jobs;
import io.raylane.topics.events.SubmitJob;
import io.raylane.topics.job.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.raylane.scheduler.core.JobStates.NOW;
import static io.raylane.scheduler.core.JobStates.want;
import static io.raylane.scheduler.core.Planning.job;
import static io.raylane.scheduler.core.Planning.limits;
import static io.raylane.scheduler.core.Planning.node;
import static io.raylane.scheduler.core.Planning.pool;
import static io.raylane.scheduler.core.Planning.queue;
import static io.raylane.scheduler.core.Planning.release;
import static io.raylane.scheduler.core.Planning.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Issue 12 "Fair use of shared limits": each user's share of the Ray head
 * ({@code max_ray_jobs}, a wait reason) and cap on jobs queued or running
 * ({@code max_jobs}, a rejection).
 */
class FairUseTest {

	private static final UserLimit TWO_EACH = UserLimit.of(2);

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void plan(String scenario, Planning.Pool pool, List<QueuedJob> queue, PlanLimits limits, List<String> want) {
		AdmissionPlan plan = AdmissionPlanner.plan(pool.snapshot(), queue, limits);

		assertThat(render(plan)).containsExactlyElementsOf(want);
	}

	static Stream<Arguments> plan() {
		Planning.Pool big = pool(node("n1", 8, 8), node("n2", 8, 8));
		return Stream.of(
				// the reproduction: alice's 0-GPU jobs held every slot of the Ray head
				arguments("one user's 0-GPU jobs take no more than their share; another user's job passes them", big,
						queue(job("a1", 1, 0).user("alice"), job("a2", 1, 0).user("alice"),
								job("a3", 1, 0).user("alice"), job("b1", 1, 0).user("bob")),
						limits().withRayHeadSlots(3).withRayJobCaps(TWO_EACH),
						List.of("a1 DISPATCH [n1]", "a2 DISPATCH [n1]", "a3 WAIT #1 [ray_head_share]",
								"b1 DISPATCH [n1]")),
				arguments("jobs already on the Ray head count", big, queue(job("a1", 1, 4).user("alice")),
						limits().withRayJobCaps(TWO_EACH).withRayJobsHeld("alice", 2),
						List.of("a1 WAIT #1 [ray_head_share]")),
				arguments("a user's own cap overrides the default", big, queue(job("a1", 1, 4).user("alice")),
						limits().withRayJobCaps(new UserLimit(Map.of("alice", 5), 2)).withRayJobsHeld("alice", 2),
						List.of("a1 DISPATCH [n1]")),
				arguments("no cap configured: no share", big, queue(job("a1", 1, 4).user("alice")),
						limits().withRayJobsHeld("alice", 500), List.of("a1 DISPATCH [n1]")),
				arguments("over its share and too big now: both reasons, and the reservation goes to the next job",
						pool(node("n1", 8, 0), node("n2", 8, 8)).releasing(release("n1", 8, 60)),
						queue(job("a1", 2, 8).user("alice"), job("b1", 2, 8).user("bob")),
						limits().withRayJobCaps(TWO_EACH).withRayJobsHeld("alice", 2),
						List.of("a1 WAIT #1 [insufficient_nodes, ray_head_share]",
								"b1 WAIT #2 [insufficient_nodes] est=+60m")));
	}

	@Test
	void shouldExplainTheShareWithoutNamingTheUser() {
		AdmissionPlan plan = AdmissionPlanner.plan(pool(node("n1", 8, 8)).snapshot(),
				queue(job("a1", 1, 0).user("alice")), limits().withRayJobCaps(TWO_EACH).withRayJobsHeld("alice", 2));

		assertThat(Planning.details(plan.decisions().get(0)))
			.isEqualTo("ray_head_share: its owner has 2 of 2 jobs one user may have on the Ray head (max_ray_jobs)")
			.doesNotContain("alice");
	}

	static final JobEventRules CAPPED = new JobEventRules(
			new JobLimits(null, null, null, null, null, null, new UserLimit(Map.of("bob", 10), 3)), Path.of("/shared"));

	static Stream<Arguments> submit() {
		SubmitJob alice = Jobs.aJob("rl-1").user("alice").gang(1, 4).submit();
		SubmitJob bob = Jobs.aJob("rl-1").user("bob").gang(1, 4).submit();
		return Stream.of(arguments("under the cap a job is queued", alice, 2, want(JobStatus.QUEUED).plans()),
				arguments("at the cap a job is rejected with the numbers", alice, 3,
						want(JobStatus.REJECTED).reason(
								"its owner has 3 jobs queued or running, the most one user may have (max_jobs: 3)")),
				arguments("a user's own cap overrides the default", bob, 9, want(JobStatus.QUEUED).plans()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void submit(String scenario, SubmitJob command, int userActiveJobs, JobStates.Want want) {
		want.check(CAPPED.submit(command, null, PoolSnapshot.of("default", PoolNode.online("n1", 4, 0)), userActiveJobs,
				NOW));
	}

}
