package io.raylane.scheduler.core;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.raylane.scheduler.core.Planning.details;
import static io.raylane.scheduler.core.Planning.job;
import static io.raylane.scheduler.core.Planning.limits;
import static io.raylane.scheduler.core.Planning.node;
import static io.raylane.scheduler.core.Planning.pool;
import static io.raylane.scheduler.core.Planning.queue;
import static io.raylane.scheduler.core.Planning.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Issue 14 item 3: GPUs that Ray jobs or actors Raylane did not submit hold are not
 * offered, and the reason a gang waits for them says {@code held outside Raylane}.
 */
class HeldOutsideTest {

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void plan(String scenario, Planning.Pool pool, List<QueuedJob> queue, List<String> want, String detail) {
		AdmissionPlan plan = AdmissionPlanner.plan(pool.snapshot(), queue, limits());

		assertThat(render(plan)).containsExactlyElementsOf(want);
		String details = plan.decisions().stream().map(Planning::details).reduce("", (a, b) -> a + b);
		if (detail == null) {
			assertThat(details).doesNotContain("held outside Raylane");
		}
		else {
			assertThat(details).contains(detail);
		}
	}

	static Stream<Arguments> plan() {
		return Stream.of(arguments("a 1x4 job waits while 2 of the node's 4 GPUs are held outside Raylane",
				pool(node("n1", 4, 4).withHeldOutside(2)), queue(job("j1", 1, 4)), List.of("j1 WAIT #1 [held_outside]"),
				"held_outside: needs 1 node with 4 GPUs free; has 0 of 1: 2 GPUs on node n1 held outside Raylane"),
				arguments("a 1x2 job takes the 2 GPUs nobody outside holds", pool(node("n1", 4, 4).withHeldOutside(2)),
						queue(job("j1", 1, 2)), List.of("j1 DISPATCH [n1]"), null),
				arguments("a 1x4 job goes to the node nothing outside holds",
						pool(node("n1", 4, 4), node("n2", 4, 4).withHeldOutside(4)), queue(job("j1", 1, 4)),
						List.of("j1 DISPATCH [n1]"), null),
				arguments("a 2x4 gang waits for the node held outside and names it",
						pool(node("n1", 4, 4), node("n2", 4, 4).withHeldOutside(4)), queue(job("j1", 2, 4)),
						List.of("j1 WAIT #1 [held_outside]"), "4 GPUs on node n2 held outside Raylane"),
				arguments("once the GPUs are free again the gang starts", pool(node("n1", 4, 4), node("n2", 4, 4)),
						queue(job("j1", 2, 4)), List.of("j1 DISPATCH [n1, n2]"), null),
				arguments("GPUs Raylane's own jobs hold are not blamed on outsiders",
						pool(node("n1", 4, 1).withHeldOutside(1)), queue(job("j1", 1, 4)),
						List.of("j1 WAIT #1 [insufficient_nodes]"), null),
				arguments("a fractional outside hold counts as a whole GPU (the observer rounds up)",
						pool(node("n1", 4, 4).withHeldOutside(1)), queue(job("j1", 1, 4)),
						List.of("j1 WAIT #1 [held_outside]"), "1 GPU on node n1 held outside Raylane"),
				arguments("a job that could never fit is still rejected, held GPUs or not",
						pool(node("n1", 4, 4).withHeldOutside(4)), queue(job("j1", 1, 8)), List.of("j1 REJECT"), null));
	}

}
