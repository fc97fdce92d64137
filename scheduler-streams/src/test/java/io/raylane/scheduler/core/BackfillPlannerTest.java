package io.raylane.scheduler.core;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.raylane.scheduler.core.Planning.T0;
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
 * Reservation-based backfill: the first blocked job reserves the earliest instant enough
 * matching nodes free up; a later job starts now only if it cannot delay that instant.
 */
class BackfillPlannerTest {

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void plan(String scenario, Planning.Pool pool, List<QueuedJob> queue, List<String> want) {
		AdmissionPlan plan = AdmissionPlanner.plan(pool.snapshot(), queue, limits());

		assertThat(render(plan)).containsExactlyElementsOf(want);
	}

	static Stream<Arguments> plan() {
		// n1 is held by a running 1x4 job until +60m; n2 is free: a 2x4 gang must wait
		// for n1
		Planning.Pool oneBusy = pool(node("n1", 4, 0), node("n2", 4, 4)).releasing(release("n1", 4, 60));
		return Stream.of(
				arguments("a short job that ends before the reservation backfills", oneBusy,
						queue(job("gang", 2, 4), job("short", 1, 2).minutes(30)),
						List.of("gang WAIT #1 [insufficient_nodes] est=+60m", "short DISPATCH [n2]")),
				arguments("a job ending exactly at the reserved start still backfills", oneBusy,
						queue(job("gang", 2, 4), job("exact", 1, 2).minutes(60)),
						List.of("gang WAIT #1 [insufficient_nodes] est=+60m", "exact DISPATCH [n2]")),
				arguments("a long job on a node the reservation needs is refused", oneBusy,
						queue(job("gang", 2, 4), job("long", 1, 2).minutes(120)),
						List.of("gang WAIT #1 [insufficient_nodes] est=+60m", "long WAIT #2 [reservation]")),
				arguments("a job without a timeout runs the pool's default (24h), so it does not backfill", oneBusy,
						queue(job("gang", 2, 4), job("untimed", 1, 2)),
						List.of("gang WAIT #1 [insufficient_nodes] est=+60m", "untimed WAIT #2 [reservation]")),
				arguments("short backfills and a long one is refused in the same cycle", oneBusy,
						queue(job("gang", 2, 4), job("short", 1, 2).minutes(30), job("long", 1, 2).minutes(120)),
						List.of("gang WAIT #1 [insufficient_nodes] est=+60m", "short DISPATCH [n2]",
								"long WAIT #2 [reservation]")),
				arguments("a long job backfills on a node the reservation does not need",
						pool(node("n1", 4, 0, labels("gpu", "a")), node("n2", 4, 4, labels("gpu", "a")),
								node("n3", 4, 4, labels("gpu", "b")))
							.releasing(release("n1", 4, 60)),
						queue(job("gang", 2, 4).selecting(Map.of("gpu", "a")), job("long", 1, 4).minutes(600)),
						List.of("gang WAIT #1 [insufficient_nodes] est=+60m", "long DISPATCH [n3]")),
				arguments("a long job backfills into GPUs the reservation leaves spare on its nodes",
						pool(node("n1", 8, 4), node("n2", 8, 4)).releasing(release("n1", 4, 60), release("n2", 4, 60)),
						queue(job("gang", 2, 6), job("long", 1, 2).minutes(600), job("longer", 1, 4).minutes(600)),
						List.of("gang WAIT #1 [insufficient_nodes] est=+60m", "long DISPATCH [n1]",
								"longer WAIT #2 [reservation]")),
				arguments("the reservation counts jobs admitted earlier in the same cycle",
						pool(node("n1", 4, 4), node("n2", 4, 0)).releasing(release("n2", 4, 30)),
						queue(job("first", 1, 4).minutes(120), job("gang", 2, 4)),
						List.of("first DISPATCH [n1]", "gang WAIT #1 [insufficient_nodes] est=+120m")),
				arguments("only the first blocked job holds a reservation", oneBusy,
						queue(job("gang", 2, 4), job("gang2", 2, 4)),
						List.of("gang WAIT #1 [insufficient_nodes] est=+60m", "gang2 WAIT #2 [insufficient_nodes]")),
				arguments("an overdue job's GPUs are expected back now",
						pool(node("n1", 4, 0), node("n2", 4, 4))
							.releasing(new Release("n1", "late", 4, T0.minusSeconds(600))),
						queue(job("gang", 2, 4)), List.of("gang WAIT #1 [insufficient_nodes] est=+0m")),
				arguments("no estimate when the gang cannot fit even after every running job ends",
						pool(node("n1", 4, 0), Planning.dead("n2", 4)).releasing(release("n1", 4, 60)),
						queue(job("gang", 2, 4)), List.of("gang WAIT #1 [insufficient_nodes]")));
	}

}
