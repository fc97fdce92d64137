package io.raylane.scheduler.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17: the planner over the incremental {@link PoolIndex} decides exactly as the
 * planner it replaced ({@link ReferencePlanner}, which copied and sorted the whole pool
 * per cycle), on random pools: dead, draining and labelled nodes, running jobs' releases,
 * gangs with and without selectors, quotas, Ray-head slots and per-user caps, timeouts
 * that allow or forbid backfill. The seed of a failing pool is in the message.
 */
class IndexedPlanTest {

	private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

	private static final String[] USERS = { "alice", "bob", "carol" };

	@Test
	void theIndexedPlannerDecidesAsTheReferenceOnRandomPools() {
		int compared = 0;
		int dispatched = 0;
		int reserved = 0;
		for (long seed = 1; seed <= 400; seed++) {
			Random random = new Random(seed);
			PoolSnapshot pool = randomPool(random);
			List<QueuedJob> heads = randomQueue(random);
			PlanLimits limits = randomLimits(random);
			AdmissionPlan expected = ReferencePlanner.plan(pool, heads, limits);
			AdmissionPlan actual = AdmissionPlanner.plan(pool, heads, limits);
			assertThat(actual).as("seed %d: %s", seed, pool).isEqualTo(expected);
			compared += expected.decisions().size();
			dispatched += (int) expected.decisions()
				.stream()
				.filter((d) -> d.outcome() == Decision.Outcome.DISPATCH)
				.count();
			reserved += (expected.blockedBy() != null) ? 1 : 0;
		}
		// the random pools exercise every branch: admissions and reservations both happen
		assertThat(compared).isGreaterThan(2000);
		assertThat(dispatched).isGreaterThan(100);
		assertThat(reserved).isGreaterThan(50);
	}

	@Test
	void anIndexChangedNodeByNodePlansAsOneBuiltAfresh() {
		for (long seed = 1; seed <= 200; seed++) {
			Random random = new Random(seed);
			PoolSnapshot first = randomPool(random);
			PoolIndex index = PoolIndex.of(first);
			// change, add and forget nodes one at a time, as the topology does
			Map<String, PoolNode> nodes = new HashMap<>();
			first.nodes().forEach((node) -> nodes.put(node.nodeId(), node));
			Map<String, List<Release>> releases = new HashMap<>();
			first.releases()
				.forEach((release) -> releases.computeIfAbsent(release.nodeId(), (id) -> new ArrayList<>())
					.add(release));
			for (int step = 0; step < 30; step++) {
				String id = "n" + random.nextInt(14);
				if (random.nextInt(6) == 0) {
					index.remove(id);
					nodes.remove(id);
					releases.remove(id);
					continue;
				}
				PoolNode node = randomNode(random, id);
				List<Release> nodeReleases = randomReleases(random, node);
				index.put(node, nodeReleases);
				nodes.put(id, node);
				releases.put(id, nodeReleases);
			}
			List<Release> all = new ArrayList<>();
			releases.values().forEach(all::addAll);
			PoolSnapshot now = new PoolSnapshot("gpu", new ArrayList<>(nodes.values()), all);
			List<QueuedJob> heads = randomQueue(random);
			PlanLimits limits = randomLimits(random);
			assertThat(AdmissionPlanner.plan(index, heads, limits)).as("seed %d", seed)
				.isEqualTo(ReferencePlanner.plan(now, heads, limits));
		}
	}

	@Test
	void theIndexReadsOnlyWhatAFitNeedsAndKeepsBestFitOrder() {
		PoolIndex index = new PoolIndex("gpu");
		index.put(PoolNode.online("a", 8, 8), List.of());
		index.put(PoolNode.online("b", 8, 2), List.of());
		index.put(PoolNode.online("c", 8, 4), List.of());
		index.put(PoolNode.draining("d", 8, 8), List.of());
		assertThat(index.freeAtLeast(3)).extracting(PoolIndex.FreeNode::nodeId).containsExactly("c", "a");
		assertThat(index.countFreeAtLeast(3)).isEqualTo(2);
		index.put(PoolNode.online("c", 8, 1), List.of());
		assertThat(index.freeAtLeast(3)).extracting(PoolIndex.FreeNode::nodeId).containsExactly("a");
		assertThat(index.countFreeAtLeast(0)).isEqualTo(3);
		index.remove("a");
		assertThat(index.countFreeAtLeast(3)).isZero();
		assertThat(index.anyDraining()).isTrue();
	}

	private static PoolSnapshot randomPool(Random random) {
		int size = random.nextInt(12);
		List<PoolNode> nodes = new ArrayList<>();
		List<Release> releases = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			PoolNode node = randomNode(random, "n" + i);
			nodes.add(node);
			releases.addAll(randomReleases(random, node));
		}
		return new PoolSnapshot("gpu", nodes, releases);
	}

	private static PoolNode randomNode(Random random, String id) {
		int gpus = new int[] { 0, 2, 4, 8 }[random.nextInt(4)];
		int free = (gpus == 0) ? 0 : random.nextInt(gpus + 1);
		Map<String, String> labels = random.nextBoolean() ? Map.of()
				: Map.of("gpu", random.nextBoolean() ? "h100" : "a100");
		return switch (random.nextInt(8)) {
			case 0 -> PoolNode.offline(id, gpus, free).withLabels(labels);
			case 1 -> PoolNode.draining(id, gpus, free).withLabels(labels);
			default -> PoolNode.online(id, gpus, free).withLabels(labels);
		};
	}

	/**
	 * The node's busy GPUs come back in one or two releases, at a few shared instants.
	 */
	private static List<Release> randomReleases(Random random, PoolNode node) {
		int busy = node.gpus() - node.freeGpus();
		List<Release> releases = new ArrayList<>();
		int job = 0;
		while (busy > 0) {
			int gpus = 1 + random.nextInt(busy);
			releases.add(new Release(node.nodeId(), node.nodeId() + "-run" + job++, gpus,
					NOW.plus(Duration.ofMinutes(10L * (1 + random.nextInt(4))))));
			busy -= gpus;
		}
		return releases;
	}

	private static List<QueuedJob> randomQueue(Random random) {
		int length = 1 + random.nextInt(10);
		List<QueuedJob> heads = new ArrayList<>();
		for (int i = 0; i < length; i++) {
			int nnodes = 1 + random.nextInt(3);
			int gpusPerNode = new int[] { 0, 1, 2, 4, 8 }[random.nextInt(5)];
			Map<String, String> selector = (random.nextInt(4) == 0) ? Map.of("gpu", "h100") : Map.of();
			Duration timeout = switch (random.nextInt(3)) {
				case 0 -> null;
				case 1 -> Duration.ofMinutes(5);
				default -> Duration.ofMinutes(25);
			};
			heads.add(new QueuedJob("q" + i, NOW.plusSeconds(i), nnodes, gpusPerNode, USERS[random.nextInt(3)],
					selector, timeout));
		}
		return heads;
	}

	private static PlanLimits randomLimits(Random random) {
		PlanLimits limits = PlanLimits.none(NOW).withDefaultTimeout(Duration.ofMinutes(30));
		if (random.nextInt(3) == 0) {
			limits = limits.withQuotas(new GpuQuotas(Map.of("alice", 8), null)).withHeld("alice", random.nextInt(8));
		}
		if (random.nextInt(3) == 0) {
			limits = limits.withRayHeadSlots(random.nextInt(4));
		}
		if (random.nextInt(4) == 0) {
			limits = limits.withRayJobCaps(new UserLimit(Map.of("bob", 1), null))
				.withRayJobsHeld("bob", random.nextInt(2));
		}
		return limits;
	}

}
