package io.raylane.scheduler.core;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.raylane.scheduler.core.Planning.details;
import static io.raylane.scheduler.core.Planning.job;
import static io.raylane.scheduler.core.Planning.limits;
import static io.raylane.scheduler.core.Planning.node;
import static io.raylane.scheduler.core.Planning.pool;
import static io.raylane.scheduler.core.Planning.queue;
import static io.raylane.scheduler.core.Planning.release;
import static io.raylane.scheduler.core.Planning.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Per-user GPU quotas, the Ray-head cap, and the wording of every wait reason. */
class QuotaPlannerTest {

	private static final GpuQuotas ALICE_8 = new GpuQuotas(Map.of("alice", 8), null);

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void plan(String scenario, Planning.Pool pool, List<QueuedJob> queue, PlanLimits limits, List<String> want) {
		AdmissionPlan plan = AdmissionPlanner.plan(pool.snapshot(), queue, limits);

		assertThat(render(plan)).containsExactlyElementsOf(want);
	}

	static Stream<Arguments> plan() {
		Planning.Pool big = pool(node("n1", 8, 8), node("n2", 8, 8));
		return Stream.of(arguments("a job over its owner's quota waits and does not block another user's", big,
				queue(job("a1", 1, 4).user("alice"), job("b1", 1, 4).user("bob")),
				limits().withQuotas(ALICE_8).withHeld("alice", 8), List.of("a1 WAIT #1 [quota]", "b1 DISPATCH [n1]")),
				arguments("the quota counts GPUs admitted earlier in the same cycle", big,
						queue(job("a1", 1, 8).user("alice"), job("a2", 1, 4).user("alice")),
						limits().withQuotas(ALICE_8), List.of("a1 DISPATCH [n1]", "a2 WAIT #1 [quota]")),
				arguments("the default quota applies to users without their own", big,
						queue(job("b1", 2, 8).user("bob")), limits().withQuotas(new GpuQuotas(Map.of(), 8)),
						List.of("b1 WAIT #1 [quota]")),
				arguments("a user's own quota overrides the default", big, queue(job("a1", 1, 8).user("alice")),
						limits().withQuotas(new GpuQuotas(Map.of("alice", 8), 2)), List.of("a1 DISPATCH [n1]")),
				arguments("a 0-GPU job never hits a quota", big, queue(job("cpu", 1, 0).user("alice")),
						limits().withQuotas(ALICE_8).withHeld("alice", 8), List.of("cpu DISPATCH [n1]")),
				arguments("over quota and too big now: both reasons, and the reservation goes to the next job",
						pool(node("n1", 8, 0), node("n2", 8, 8)).releasing(release("n1", 8, 60)),
						queue(job("a1", 2, 8).user("alice"), job("b1", 2, 8).user("bob")), limits().withQuotas(ALICE_8),
						List.of("a1 WAIT #1 [quota, insufficient_nodes]", "b1 WAIT #2 [insufficient_nodes] est=+60m")),
				arguments("beyond the Ray-head cap a job that fits waits", big, queue(job("j1", 1, 4), job("j2", 1, 4)),
						limits().withRayHeadSlots(1), List.of("j1 DISPATCH [n1]", "j2 WAIT #1 [ray_head_capacity]")),
				arguments("a job waits for every reason at once", pool(node("n1", 8, 0)),
						queue(job("a1", 1, 8).user("alice")),
						limits().withQuotas(ALICE_8).withHeld("alice", 8).withRayHeadSlots(0),
						List.of("a1 WAIT #1 [quota, insufficient_nodes, ray_head_capacity]")));
	}

	@Test
	void shouldExplainEachReasonWithItsNumbers() {
		Planning.Pool pool = pool(node("n1", 4, 0), node("n2", 4, 4)).releasing(release("n1", 4, 60));

		AdmissionPlan plan = AdmissionPlanner.plan(pool.snapshot(),
				queue(job("gang", 2, 4), job("long", 1, 2).minutes(120), job("a1", 1, 4).user("carol")),
				limits().withQuotas(new GpuQuotas(Map.of("carol", 6), null)).withHeld("carol", 4));

		assertThat(plan.decisions()).extracting(Planning::details)
			.containsExactly("insufficient_nodes: needs 2 nodes with 4 GPUs free; has 1 of 2",
					"reservation: held for the reservation of job gang",
					"quota: its owner holds 4 of 6 GPUs (quota) | reservation: held for the reservation of job gang");
		assertThat(plan.decisions().get(0).reason()).isEqualTo("needs 2 nodes with 4 GPUs free; has 1 of 2");
	}

	@Test
	void shouldNameTheSelectorOfAGangThatWaitsForLabelledNodes() {
		Planning.Pool pool = pool(node("n1", 4, 4, Planning.labels("gpu", "a100")));

		AdmissionPlan plan = AdmissionPlanner.plan(pool.snapshot(),
				queue(job("j1", 1, 4), job("j2", 1, 4).selecting(Map.of("gpu", "a100"))), limits());

		assertThat(details(plan.decisions().get(1)))
			.isEqualTo("insufficient_nodes: needs 1 node labelled {gpu=a100} with 4 GPUs free; has 0 of 1");
	}

}
