package io.raylane.scheduler.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class AdmissionPlannerTest {

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void plan(String scenario, PoolSnapshot pool, List<QueuedJob> heads, List<Decision> wantDecisions) {
		AdmissionPlan plan = AdmissionPlanner.plan(pool, heads);

		assertThat(plan.decisions()).containsExactlyElementsOf(wantDecisions);
	}

	static Stream<Arguments> plan() {
		return Stream.of(
				arguments("a 1x4 job fits on a free 4-GPU node", pool(node("n1", 4, 4)), jobs(job("j1", 1, 4)),
						List.of(Decision.dispatch("j1", List.of("n1")))),
				arguments("a 1x8 job waits while its only 8-GPU node is half used", pool(node("n1", 8, 4)),
						jobs(job("j1", 1, 8)),
						List.of(Decision.waiting("j1",
								"needs 1 node with 8 free GPUs; pool 'default' has 0 nodes with 8 free GPUs now"))),
				arguments("best fit picks the node with the fewest free GPUs that still fit",
						pool(node("roomy", 8, 8), node("snug", 8, 2), node("tight", 8, 1)), jobs(job("j1", 1, 2)),
						List.of(Decision.dispatch("j1", List.of("snug")))),
				arguments("a gang needs distinct nodes: one 8-GPU node cannot hold 2x4",
						pool(node("n1", 8, 8), node("n2", 4, 0)), jobs(job("j1", 2, 4)),
						List.of(Decision.waiting("j1",
								"needs 2 nodes with 4 free GPUs each; pool 'default' has 1 node with 4 free GPUs now"))),
				arguments("a 2x4 gang takes the two best-fit nodes", pool(node("a", 8, 8), node("b", 4, 4), node("c", 8, 5)),
						jobs(job("j1", 2, 4)), List.of(Decision.dispatch("j1", List.of("b", "c")))),
				arguments("strict FIFO: the head that does not fit blocks a later job that would",
						pool(node("n1", 4, 2)), jobs(job("big", 1, 4), job("small", 1, 1)),
						List.of(Decision.waiting("big",
								"needs 1 node with 4 free GPUs; pool 'default' has 0 nodes with 4 free GPUs now"),
								Decision.waiting("small", "waiting behind big (first in queue)"))),
				arguments("admissions in one cycle consume the snapshot's GPUs", pool(node("n1", 4, 4)),
						jobs(job("j1", 1, 4), job("j2", 1, 4)),
						List.of(Decision.dispatch("j1", List.of("n1")),
								Decision.waiting("j2",
										"needs 1 node with 4 free GPUs; pool 'default' has 0 nodes with 4 free GPUs now"))),
				arguments("FIFO follows acceptance time, not the order of the window",
						pool(node("n1", 4, 4)), List.of(job("late", 1, 4, 20), job("early", 1, 4, 10)),
						List.of(Decision.dispatch("early", List.of("n1")),
								Decision.waiting("late",
										"needs 1 node with 4 free GPUs; pool 'default' has 0 nodes with 4 free GPUs now"))),
				arguments("a job larger than the pool could ever hold is rejected with the pool's size",
						pool(node("n1", 4, 4), node("n2", 4, 4)), jobs(job("j1", 3, 4)),
						List.of(Decision.reject("j1",
								"needs 3 nodes with 4 free GPUs each; pool 'default' has 2 nodes with at least 4 GPUs"))),
				arguments("a rejected head does not block the job behind it",
						pool(node("n1", 4, 4)), jobs(job("huge", 1, 8), job("j2", 1, 4)),
						List.of(Decision.reject("huge",
								"needs 1 node with 8 free GPUs; pool 'default' has 0 nodes with at least 8 GPUs"),
								Decision.dispatch("j2", List.of("n1")))),
				arguments("dead nodes count for the pool's size, so a job they could hold is not rejected",
						pool(node("n1", 4, 4), offline("n2", 4)), jobs(job("j1", 2, 4)),
						List.of(Decision.waiting("j1",
								"needs 2 nodes with 4 free GPUs each; pool 'default' has 1 node with 4 free GPUs now"))),
				arguments("a dead node is never used, even with free GPUs",
						pool(offline("dead", 4), node("alive", 8, 4)), jobs(job("j1", 1, 4)),
						List.of(Decision.dispatch("j1", List.of("alive")))),
				arguments("an empty pool waits for nodes instead of rejecting", pool(), jobs(job("j1", 2, 8)),
						List.of(Decision.waiting("j1", "pool 'default' has no nodes"))),
				arguments("a 0-GPU job runs on a fully used alive node", pool(node("n1", 4, 0)), jobs(job("j1", 1, 0)),
						List.of(Decision.dispatch("j1", List.of("n1")))),
				arguments("a 0-GPU gang needs as many alive nodes as it asks", pool(node("n1", 4, 0), offline("n2", 4)),
						jobs(job("j1", 2, 0)),
						List.of(Decision.waiting("j1", "needs 2 alive nodes; pool 'default' has 1 alive node now"))),
				arguments("a 0-GPU gang larger than the pool is rejected", pool(node("n1", 4, 4)), jobs(job("j1", 2, 0)),
						List.of(Decision.reject("j1", "needs 2 nodes; pool 'default' has 1 node"))));
	}

	private static PoolSnapshot pool(PoolNode... nodes) {
		return PoolSnapshot.of("default", nodes);
	}

	private static PoolNode node(String id, int gpus, int free) {
		return PoolNode.online(id, gpus, free);
	}

	private static PoolNode offline(String id, int gpus) {
		return PoolNode.offline(id, gpus, gpus);
	}

	/** Jobs accepted one second apart, in the order given. */
	private static List<QueuedJob> jobs(QueuedJob... jobs) {
		List<QueuedJob> result = new ArrayList<>();
		for (int i = 0; i < jobs.length; i++) {
			QueuedJob j = jobs[i];
			result.add(new QueuedJob(j.jobId(), Instant.EPOCH.plusSeconds(i), j.nnodes(), j.gpusPerNode()));
		}
		return result;
	}

	private static QueuedJob job(String id, int nnodes, int gpusPerNode) {
		return job(id, nnodes, gpusPerNode, 0);
	}

	private static QueuedJob job(String id, int nnodes, int gpusPerNode, long acceptedSecond) {
		return new QueuedJob(id, Instant.EPOCH.plusSeconds(acceptedSecond), nnodes, gpusPerNode);
	}

}
