package io.raylane.observer.placement;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.raylane.observer.accounting.AccountedJob;
import io.raylane.topics.events.Alert;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** placement_violation alerts: once per episode, with the reserved and actual nodes. */
class PlacementWatchTest {

	private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

	private static final AccountedJob JOB = new AccountedJob("rl-1", "ana", "a100", "ppo", 8,
			List.of("127.0.0.11", "127.0.0.12"), T0.toEpochMilli(), null, "RUNNING");

	private final PlacementWatch watch = new PlacementWatch();

	@Test
	void shouldStayQuietWhileTheJobIsInsideItsReservation() {
		PlacementWatch.Plan plan = this.watch.plan(List.of(JOB), reading("127.0.0.11"), T0);
		assertThat(plan.alerts()).isEmpty();
	}

	@Test
	void shouldAlertOnceWithEvidenceWhenRayPlacedWorkElsewhere() {
		PlacementWatch.Plan plan = this.watch.plan(List.of(JOB), reading("127.0.0.11", "127.0.0.13"), T0);
		assertThat(plan.alerts()).singleElement().satisfies((alert) -> {
			assertThat(alert.kind()).isEqualTo(Alert.PLACEMENT_VIOLATION);
			assertThat(alert.subject()).isEqualTo("rl-1");
			assertThat(alert.id()).isEqualTo("placement_violation/rl-1/" + T0.toEpochMilli());
			assertThat(alert.evidence()).containsEntry("reserved_nodes", List.of("127.0.0.11", "127.0.0.12"))
				.containsEntry("actual_nodes", List.of("127.0.0.11", "127.0.0.13"))
				.containsEntry("unreserved_nodes", List.of("127.0.0.13"))
				.containsEntry("bundles", List.of("pg1:1@127.0.0.13"));
			assertThat(alert.summary()).contains("127.0.0.13");
		});
		this.watch.commit(plan);
		// the same violation on the next poll: no second alert
		assertThat(this.watch.plan(List.of(JOB), reading("127.0.0.11", "127.0.0.13"), T0.plusSeconds(10)).alerts())
			.isEmpty();
	}

	@Test
	void shouldAlertAgainWhenItSpreadsFurtherOrComesBack() {
		this.watch.commit(this.watch.plan(List.of(JOB), reading("127.0.0.13"), T0));
		PlacementWatch.Plan wider = this.watch.plan(List.of(JOB), reading("127.0.0.13", "127.0.0.14"),
				T0.plusSeconds(10));
		assertThat(wider.alerts()).hasSize(1);
		this.watch.commit(wider);
		this.watch.commit(this.watch.plan(List.of(JOB), reading("127.0.0.11"), T0.plusSeconds(20)));
		assertThat(this.watch.plan(List.of(JOB), reading("127.0.0.13"), T0.plusSeconds(30)).alerts()).hasSize(1);
	}

	@Test
	void shouldNotJudgeAJobWithoutAReservationOrAPlacement() {
		AccountedJob unreserved = new AccountedJob("rl-2", "ana", "a100", "command", 1, List.of(), 0, null, "RUNNING");
		assertThat(this.watch.plan(List.of(unreserved, JOB), RayPlacement.Reading.NONE, T0).alerts()).isEmpty();
	}

	private static RayPlacement.Reading reading(String... ips) {
		List<String> held = new java.util.ArrayList<>();
		for (int i = 0; i < ips.length; i++) {
			held.add("pg1:" + i + "@" + ips[i]);
		}
		return new RayPlacement.Reading(Map.of("rl-1", new RayPlacement.JobPlacement(List.of(ips), held)), Map.of());
	}

}
