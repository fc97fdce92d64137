package io.raylane.observer.placement;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.raylane.rayclient.wire.RayActorState;
import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.rayclient.wire.RayJson;
import io.raylane.rayclient.wire.RayListResponse;
import io.raylane.rayclient.wire.RayNodeState;
import io.raylane.rayclient.wire.RayPlacementGroupState;
import io.raylane.rayclient.wire.RayPlacementGroupState.Bundle;
import io.raylane.rayclient.wire.RayPlacementGroupState.BundleId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.type.TypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Where Ray put GPU work, and what it holds outside Raylane: first on the answers of a
 * real Ray 2.60.0 cluster (ray-client's fixtures/ray-2.60.0), then as a table.
 */
class RayPlacementTest {

	private static final String W1 = "68add08e2c85572caedef695cfcb658a80626cdae4297e07be804e19";

	private static final String W2 = "4bea377f27aac6064647d09edf95976c629f045cde673f98add53fee";

	@Test
	void shouldReadTheCapturedClusterAnswers() throws IOException {
		List<RayJobDetails> listed = fixture("jobs.json", new TypeReference<>() {
		});
		List<RayJobDetails> raylane = listed.stream().filter((j) -> "rl-fixture-1".equals(j.submissionId())).toList();
		List<RayNodeState> nodes = fixture("nodes.json", new TypeReference<RayListResponse<RayNodeState>>() {
		}).items();
		String ipW1 = ipOf(nodes, W1);
		String ipW2 = ipOf(nodes, W2);

		RayPlacement.Reading reading = RayPlacement.read(listed, raylane,
				fixture("placement_groups.json", new TypeReference<RayListResponse<RayPlacementGroupState>>() {
				}).items(), fixture("actors-detail.json", new TypeReference<RayListResponse<RayActorState>>() {
				}).items(), nodes);

		// the group's two bundles on one worker, the loose GPU actor on the other
		assertThat(reading.jobs()).containsOnlyKeys("rl-fixture-1");
		RayPlacement.JobPlacement placed = reading.jobs().get("rl-fixture-1");
		assertThat(placed.nodeIps()).containsExactlyInAnyOrder(ipW1, ipW2);
		assertThat(placed.held()).contains("69145f45a7addbcbbe5eead2f26803000000:0@" + ipW1,
				"69145f45a7addbcbbe5eead2f26803000000:1@" + ipW1);
		// the job submitted by hand holds 2 GPUs on the second worker
		assertThat(reading.outsideGpus()).containsExactly(Map.entry(W2, 2));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void table(String scenario, List<RayPlacementGroupState> groups, List<RayActorState> actors,
			Map<String, List<String>> wantPlaced, Map<String, Integer> wantOutside) {
		RayPlacement.Reading reading = RayPlacement.read(LISTED, List.of(RAYLANE_JOB), groups, actors, NODES);

		Map<String, List<String>> placed = new java.util.TreeMap<>();
		reading.jobs().forEach((id, p) -> placed.put(id, p.nodeIps()));
		assertThat(placed).isEqualTo(wantPlaced);
		assertThat(reading.outsideGpus()).isEqualTo(wantOutside);
	}

	static Stream<Arguments> table() {
		return Stream.of(
				arguments("nothing runs: nothing placed, nothing held", List.of(), List.of(), Map.of(), Map.of()),
				arguments("a created group of Raylane's job places it on its bundles' nodes", List
					.of(group("pg1", "0a000000", "CREATED", bundle("pg1", 0, 1, "n1"), bundle("pg1", 1, 1, "n2"))),
						List.of(), Map.of("rl-1", List.of("127.0.0.11", "127.0.0.12")), Map.of()),
				arguments("a pending group holds nothing yet",
						List.of(group("pg1", "0a000000", "PENDING", bundle("pg1", 0, 1, null))), List.of(), Map.of(),
						Map.of()),
				arguments("CPU-only bundles are not GPU work",
						List.of(group("pg1", "0a000000", "CREATED", bundle("pg1", 0, 0, "n1"))), List.of(), Map.of(),
						Map.of()),
				arguments("a group of a job submitted by hand is held outside Raylane",
						List.of(group("pg9", "0b000000", "CREATED", bundle("pg9", 0, 1, "n1"),
								bundle("pg9", 1, 1, "n1"))),
						List.of(), Map.of(), Map.of("n1", 2)),
				arguments("a group whose creator Ray no longer lists (detached) is held outside Raylane",
						List.of(group("pg8", "0f000000", "CREATED", bundle("pg8", 0, 2, "n2"))), List.of(), Map.of(),
						Map.of("n2", 2)),
				arguments("an actor inside a group is not counted twice",
						List.of(group("pg9", "0b000000", "CREATED", bundle("pg9", 0, 1, "n1"))),
						List.of(actor("a1", "0b000000", "n1", 1.0, "pg9", "")), Map.of(), Map.of("n1", 1)),
				arguments("a GPU actor of Raylane's job outside any group places it on its node", List.of(),
						List.of(actor("a1", "0a000000", "n2", 1.0, null, "")), Map.of("rl-1", List.of("127.0.0.12")),
						Map.of()),
				arguments("fractional GPUs held outside round up per node", List.of(),
						List.of(actor("a1", "0b000000", "n1", 0.5, null, ""),
								actor("a2", "0b000000", "n1", 0.25, null, "")),
						Map.of(), Map.of("n1", 1)),
				arguments("a dead actor holds nothing", List.of(),
						List.of(new RayActorState("a1", "Hog", "DEAD", "0b000000", "", "n1", 1L, "ns",
								Map.of("GPU", 2.0), false, null)),
						Map.of(), Map.of()),
				arguments("the supervisor of a hand-submitted job with entrypoint GPUs is held outside Raylane",
						List.of(), List.of(actor("s1", "01000000", "n2", 1.0, null, "_ray_internal_job_actor_by-hand")),
						Map.of(), Map.of("n2", 1)),
				arguments("the supervisor of Raylane's job is Raylane's", List.of(),
						List.of(actor("s1", "01000000", "n1", 1.0, null, "_ray_internal_job_actor_rl-1")),
						Map.of("rl-1", List.of("127.0.0.11")), Map.of()),
				arguments("a job that only claims to be Raylane's (not attributed) is held outside", List.of(),
						List.of(actor("a1", "0c000000", "n1", 4.0, null, "")), Map.of(), Map.of("n1", 4)));
	}

	private static final RayJobDetails RAYLANE_JOB = job("0a000000", "rl-1", Map.of("raylane_job_id", "rl-1"));

	private static final List<RayJobDetails> LISTED = List.of(RAYLANE_JOB, job("0b000000", "by-hand", Map.of()),
			job("0c000000", "claimer", Map.of("raylane_job_id", "rl-2")));

	private static final List<RayNodeState> NODES = List.of(node("n1", "127.0.0.11"), node("n2", "127.0.0.12"));

	static RayJobDetails job(String rayJobId, String submissionId, Map<String, String> metadata) {
		return new RayJobDetails("SUBMISSION", rayJobId, submissionId, null, "RUNNING", "python x.py", null, null, 1L,
				null, metadata, Map.of(), null, null, null);
	}

	static RayNodeState node(String id, String ip) {
		return new RayNodeState(id, ip, false, "ALIVE", null, ip, Map.of("GPU", 4.0), Map.of(), null, null);
	}

	static RayPlacementGroupState group(String id, String creator, String state, Bundle... bundles) {
		return new RayPlacementGroupState(id, "", creator, state, List.of(bundles), false);
	}

	static Bundle bundle(String group, int index, double gpus, String nodeId) {
		return new Bundle(new BundleId(group, index), (gpus > 0) ? Map.of("CPU", 1.0, "GPU", gpus) : Map.of("CPU", 1.0),
				nodeId);
	}

	static RayActorState actor(String id, String rayJobId, String nodeId, double gpus, String group, String name) {
		Map<String, Double> required = (group == null) ? Map.of("GPU", gpus) : Map.of("GPU_group_" + group, gpus);
		return new RayActorState(id, "Worker", "ALIVE", rayJobId, name, nodeId, 1L, "ns", required, false, group);
	}

	static <T> T fixture(String name, TypeReference<T> type) throws IOException {
		try (InputStream in = RayPlacementTest.class.getResourceAsStream("/fixtures/ray-2.60.0/" + name)) {
			assertThat(in).as("fixture " + name + " (ray-client's test-jar)").isNotNull();
			return RayJson.mapper().readValue(in, type);
		}
	}

	private static String ipOf(List<RayNodeState> nodes, String id) {
		return nodes.stream().filter((n) -> n.nodeId().equals(id)).findFirst().orElseThrow().nodeIp();
	}

}
