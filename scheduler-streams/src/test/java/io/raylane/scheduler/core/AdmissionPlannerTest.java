package io.raylane.scheduler.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.raylane.scheduler.core.Planning.dead;
import static io.raylane.scheduler.core.Planning.draining;
import static io.raylane.scheduler.core.Planning.job;
import static io.raylane.scheduler.core.Planning.labels;
import static io.raylane.scheduler.core.Planning.limits;
import static io.raylane.scheduler.core.Planning.node;
import static io.raylane.scheduler.core.Planning.pool;
import static io.raylane.scheduler.core.Planning.queue;
import static io.raylane.scheduler.core.Planning.release;
import static io.raylane.scheduler.core.Planning.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Gang fit, FIFO, rejection, labels, draining and dead nodes: the planner without quotas
 * or a Ray-head cap.
 */
class AdmissionPlannerTest {

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void plan(String scenario, Planning.Pool pool, List<QueuedJob> queue, List<String> want) {
		AdmissionPlan plan = AdmissionPlanner.plan(pool.snapshot(), queue, limits());

		assertThat(render(plan)).containsExactlyElementsOf(want);
	}

	static Stream<Arguments> plan() {
		return Stream.of(
				arguments("a 1x4 job fits on a free 4-GPU node", pool(node("n1", 4, 4)), queue(job("j1", 1, 4)),
						List.of("j1 DISPATCH [n1]")),
				arguments("a 1x8 job waits while its only 8-GPU node is half used", pool(node("n1", 8, 4)),
						queue(job("j1", 1, 8)), List.of("j1 WAIT #1 [insufficient_nodes]")),
				arguments("best fit picks the node with the fewest free GPUs that still fit",
						pool(node("roomy", 8, 8), node("snug", 8, 2), node("tight", 8, 1)), queue(job("j1", 1, 2)),
						List.of("j1 DISPATCH [snug]")),
				arguments("fragmentation: one 8-GPU node cannot hold a 2x4 gang, which needs distinct nodes",
						pool(node("n1", 8, 8), node("n2", 4, 0)), queue(job("j1", 2, 4)),
						List.of("j1 WAIT #1 [insufficient_nodes]")),
				arguments("a 2x4 gang takes the two best-fit nodes",
						pool(node("a", 8, 8), node("b", 4, 4), node("c", 8, 5)), queue(job("j1", 2, 4)),
						List.of("j1 DISPATCH [b, c]")),
				arguments("admissions in one cycle consume the snapshot's GPUs, positions count the waiting",
						pool(node("n1", 4, 4)), queue(job("j1", 1, 4), job("j2", 1, 4), job("j3", 1, 4)),
						List.of("j1 DISPATCH [n1]", "j2 WAIT #1 [insufficient_nodes] est=+1440m",
								"j3 WAIT #2 [insufficient_nodes]")),
				arguments("FIFO follows acceptance time, not the order of the window", pool(node("n1", 4, 4)),
						reversed(queue(job("early", 1, 4), job("late", 1, 4))),
						List.of("early DISPATCH [n1]", "late WAIT #1 [insufficient_nodes] est=+1440m")),
				arguments("oversize: a job larger than the pool could ever hold is rejected",
						pool(node("n1", 4, 4), node("n2", 4, 4)), queue(job("j1", 3, 4)), List.of("j1 REJECT")),
				arguments("a rejected head does not block the job behind it", pool(node("n1", 4, 4)),
						queue(job("huge", 1, 8), job("j2", 1, 4)), List.of("huge REJECT", "j2 DISPATCH [n1]")),
				arguments("dead nodes count for the pool's size, so a job they could hold is not rejected",
						pool(node("n1", 4, 4), dead("n2", 4)), queue(job("j1", 2, 4)),
						List.of("j1 WAIT #1 [insufficient_nodes]")),
				arguments("a dead node is never used, even with free GPUs", pool(dead("dead", 4), node("alive", 8, 4)),
						queue(job("j1", 1, 4)), List.of("j1 DISPATCH [alive]")),
				arguments("a draining node takes no new work", pool(draining("d", 4), node("n1", 4, 4)),
						queue(job("j1", 1, 4), job("j2", 1, 4)),
						List.of("j1 DISPATCH [n1]", "j2 WAIT #1 [insufficient_nodes] est=+1440m")),
				arguments("a pool whose every node drains says so", pool(draining("d1", 4), draining("d2", 4)),
						queue(job("j1", 1, 4)), List.of("j1 WAIT #1 [pool_draining]")),
				arguments("an empty pool waits for nodes instead of rejecting", pool(), queue(job("j1", 2, 8)),
						List.of("j1 WAIT #1 [pool_empty]")),
				arguments("a node selector restricts the gang to matching nodes",
						pool(node("a100", 8, 8, labels("gpu", "a100")), node("h100", 8, 8, labels("gpu", "h100"))),
						queue(job("j1", 1, 8).selecting(Map.of("gpu", "h100"))), List.of("j1 DISPATCH [h100]")),
				arguments("a selector no free node matches waits while others run",
						pool(node("a100", 8, 8, labels("gpu", "a100")), node("h100", 8, 0, labels("gpu", "h100"))),
						queue(job("j1", 1, 8).selecting(Map.of("gpu", "h100")), job("j2", 1, 8)),
						List.of("j1 WAIT #1 [insufficient_nodes]", "j2 DISPATCH [a100]")),
				arguments("a selector no node of the pool carries is rejected",
						pool(node("a100", 8, 8, labels("gpu", "a100"))),
						queue(job("j1", 1, 8).selecting(Map.of("gpu", "tpu"))), List.of("j1 REJECT")),
				arguments("a 0-GPU job runs on a fully used alive node", pool(node("n1", 4, 0)), queue(job("j1", 1, 0)),
						List.of("j1 DISPATCH [n1]")),
				arguments("a 0-GPU gang larger than the pool is rejected", pool(node("n1", 4, 4)),
						queue(job("j1", 2, 0)), List.of("j1 REJECT")),
				arguments("a blocked gang whose nodes are held by running jobs gets a reservation at their deadline",
						pool(node("n1", 4, 0), node("n2", 4, 0)).releasing(release("n1", 4, 30), release("n2", 4, 60)),
						queue(job("gang", 2, 4)), List.of("gang WAIT #1 [insufficient_nodes] est=+60m")));
	}

	private static List<QueuedJob> reversed(List<QueuedJob> jobs) {
		List<QueuedJob> result = new ArrayList<>(jobs);
		Collections.reverse(result);
		return result;
	}

}
