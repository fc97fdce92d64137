package io.raylane.observer.placement;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.raylane.observer.ray.RayPollException;
import io.raylane.observer.ray.RayStateClient;
import io.raylane.rayclient.wire.RayActorState;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.rayclient.wire.RayNodeState;
import io.raylane.rayclient.wire.RayPlacementGroupState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ray's load: placement groups and actors are read at most once per interval, and only
 * while Ray lists a job that is not terminal.
 */
class PlacementPollingTest {

	private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

	private final AtomicInteger groupReads = new AtomicInteger();

	private final AtomicInteger actorReads = new AtomicInteger();

	private volatile boolean fail;

	private final RayStateClient ray = new RayStateClient() {

		@Override
		public List<RayJobDetails> jobs() {
			return List.of();
		}

		@Override
		public List<RayNodeState> nodes() {
			return List.of();
		}

		@Override
		public List<RayPlacementGroupState> placementGroups() {
			PlacementPollingTest.this.groupReads.incrementAndGet();
			if (PlacementPollingTest.this.fail) {
				throw new RayPollException("head down");
			}
			return List.of();
		}

		@Override
		public List<RayActorState> actors() {
			PlacementPollingTest.this.actorReads.incrementAndGet();
			return List.of(new RayActorState("a1", "Hog", "ALIVE", "0b000000", "", "n1", 1L, "ns", Map.of("GPU", 2.0),
					false, null));
		}
	};

	private final PlacementPolling polling = new PlacementPolling(this.ray, Duration.ofSeconds(10));

	private static final List<RayNodeState> NODES = List
		.of(new RayNodeState("n1", "127.0.0.11", false, "ALIVE", null, "w1", Map.of("GPU", 4.0), Map.of(), null, null));

	@Test
	void shouldReadAtMostOncePerIntervalWhileAJobRuns() {
		List<RayJobDetails> running = List.of(RayPlacementTest.job("0b000000", "by-hand", Map.of()));
		for (int second = 0; second <= 25; second++) {
			RayPlacement.Reading reading = this.polling.reading(running, List.of(), NODES, T0.plusSeconds(second));
			assertThat(reading.outsideGpus()).containsEntry("n1", 2);
		}
		// at 0 s, 10 s and 20 s: two requests every 10 s
		assertThat(this.groupReads).hasValue(3);
		assertThat(this.actorReads).hasValue(3);
	}

	@Test
	void shouldNotAskRayWhenNoJobRuns() {
		RayJobDetails ended = new RayJobDetails("SUBMISSION", "0b000000", "by-hand", null, "SUCCEEDED", "x", null, null,
				1L, 2L, Map.of(), Map.of(), null, null, 0);
		List<RayJobDetails> running = List.of(RayPlacementTest.job("0b000000", "by-hand", Map.of()));
		assertThat(this.polling.reading(running, List.of(), NODES, T0).outsideGpus()).isNotEmpty();
		for (int second = 1; second <= 30; second++) {
			assertThat(this.polling.reading(List.of(ended), List.of(), NODES, T0.plusSeconds(second)))
				.isEqualTo(RayPlacement.Reading.NONE);
			assertThat(this.polling.reading(List.of(), List.of(), NODES, T0.plusSeconds(second)))
				.isEqualTo(RayPlacement.Reading.NONE);
		}
		assertThat(this.groupReads).hasValue(1);
	}

	@Test
	void shouldKeepTheLastReadingWhenRayFails() {
		List<RayJobDetails> running = List.of(RayPlacementTest.job("0b000000", "by-hand", Map.of()));
		this.polling.reading(running, List.of(), NODES, T0);
		this.fail = true;
		assertThat(this.polling.reading(running, List.of(), NODES, T0.plusSeconds(10)).outsideGpus())
			.containsEntry("n1", 2);
		assertThat(this.polling.reading(running, List.of(), null, T0.plusSeconds(20)).outsideGpus()).containsEntry("n1",
				2);
	}

}
