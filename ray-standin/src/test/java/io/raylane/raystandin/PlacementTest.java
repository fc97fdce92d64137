package io.raylane.raystandin;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlacementTest {

	private static final LocalNode HEAD = node("head", true,
			Map.of("node:127.0.0.1", 1.0, LocalNode.HEAD_RESOURCE, 1.0), true);

	private static final LocalNode W1 = node("w1", false,
			Map.of("CPU", 16.0, "GPU", 4.0, "raylane-pool-default", 1000.0), true);

	private static final LocalNode W2 = node("w2", false,
			Map.of("CPU", 16.0, "GPU", 4.0, "raylane-pool-default", 1000.0), true);

	private static final LocalNode DEAD = node("w0", false,
			Map.of("CPU", 16.0, "GPU", 8.0, "raylane-pool-a100", 1000.0), false);

	@Test
	void shouldPinAJobWithoutResourcesToTheHead() {
		assertThat(choose(ResourceRequest.NONE, Map.of())).map(LocalNode::nodeId).contains("head");
	}

	@Test
	void shouldTreatZeroAmountsAsNoResources() {
		assertThat(choose(new ResourceRequest(0, 0, 0, Map.of()), Map.of())).map(LocalNode::nodeId).contains("head");
	}

	@Test
	void shouldPlaceAPoolJobOnAWorkerNeverTheHead() {
		ResourceRequest pool = new ResourceRequest(0, 0, 0, Map.of("raylane-pool-default", 1.0));

		assertThat(choose(pool, Map.of())).map(LocalNode::nodeId).contains("w1");
	}

	@Test
	void shouldPreferTheWorkerWithFewerDrivers() {
		ResourceRequest pool = new ResourceRequest(0, 0, 0, Map.of("raylane-pool-default", 1.0));
		Map<String, Placement.Usage> usage = Map.of("w1", new Placement.Usage(Map.of("raylane-pool-default", 1.0), 1));

		assertThat(choose(pool, usage)).map(LocalNode::nodeId).contains("w2");
	}

	@Test
	void shouldCountAJobPlacedInTheSameRoundOnItsNode() {
		ResourceRequest twoGpus = new ResourceRequest(0, 2, 0, Map.of());
		Placement.Usage once = Placement.Usage.NONE.plus(twoGpus.asResources());
		Placement.Usage twice = once.plus(twoGpus.asResources());

		assertThat(once.drivers()).isEqualTo(1);
		assertThat(twice.reserved()).containsEntry("GPU", 4.0);
		assertThat(twice.drivers()).isEqualTo(2);
		assertThat(Placement.Usage.NONE.reserved()).isEmpty();
	}

	@Test
	void shouldCountRunningDriversAgainstFreeResources() {
		ResourceRequest threeGpus = new ResourceRequest(0, 3, 0, Map.of());
		Map<String, Placement.Usage> usage = Map.of("w1", new Placement.Usage(Map.of("GPU", 2.0), 1), "w2",
				new Placement.Usage(Map.of("GPU", 1.5), 1));

		assertThat(choose(threeGpus, usage)).isEmpty();
		assertThat(choose(new ResourceRequest(0, 2.5, 0, Map.of()), usage)).map(LocalNode::nodeId).contains("w2");
	}

	@Test
	void shouldLeaveAJobWaitingWhenOnlyADeadNodeHasTheResource() {
		assertThat(choose(new ResourceRequest(0, 0, 0, Map.of("raylane-pool-a100", 1.0)), Map.of())).isEmpty();
	}

	@Test
	void shouldLeaveAJobWaitingWhenNoNodeHasTheResource() {
		assertThat(choose(new ResourceRequest(1, 0, 0, Map.of("nobody-has-this", 1.0)), Map.of())).isEmpty();
	}

	@Test
	void shouldPlaceAJobAskingForTheHeadResourceOnTheHead() {
		assertThat(choose(new ResourceRequest(0, 0, 0, Map.of(LocalNode.HEAD_RESOURCE, 0.001)), Map.of()))
			.map(LocalNode::nodeId)
			.contains("head");
	}

	private static Optional<LocalNode> choose(ResourceRequest request, Map<String, Placement.Usage> usage) {
		return Placement.choose(request, List.of(HEAD, DEAD, W1, W2), usage);
	}

	private static LocalNode node(String id, boolean head, Map<String, Double> resources, boolean alive) {
		return new LocalNode(id, "127.10.0." + id.length(), head, resources, Map.of(), alive, null, 0, null);
	}

}
