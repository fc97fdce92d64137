package io.raylane.rayclient.wire;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The State API types read answers captured from a real Ray 2.60.0 cluster (fixtures in
 * {@code fixtures/ray-2.60.0/}, see its README): a Raylane-like job with a verl-shaped
 * placement group and a GPU actor, and a job submitted by hand holding 2 GPUs.
 */
class RayStateFixtureTest {

	private static final String RAYLANE_RAY_JOB = "03000000";

	private static final String HAND_RAY_JOB = "02000000";

	static <T> T fixture(String name, TypeReference<T> type) throws IOException {
		try (InputStream in = RayStateFixtureTest.class.getResourceAsStream("/fixtures/ray-2.60.0/" + name)) {
			assertThat(in).as("fixture " + name).isNotNull();
			return RayJson.mapper().readValue(in, type);
		}
	}

	@Test
	void shouldReadPlacementGroupsWithTheirBundlesNodes() throws IOException {
		RayListResponse<RayPlacementGroupState> answer = fixture("placement_groups.json", new TypeReference<>() {
		});
		assertThat(answer.result()).isTrue();
		List<RayPlacementGroupState> groups = answer.items();
		assertThat(groups).hasSize(1);
		RayPlacementGroupState group = groups.get(0);
		assertThat(group.created()).isTrue();
		assertThat(group.creatorJobId()).isEqualTo(RAYLANE_RAY_JOB);
		assertThat(group.name()).isEqualTo("rl_fixture_pg");
		assertThat(group.bundles()).hasSize(2).allSatisfy((bundle) -> {
			assertThat(bundle.gpus()).isEqualTo(1.0);
			assertThat(bundle.nodeId()).startsWith("68add08e");
		});
		assertThat(group.bundles().get(1).bundleId().label()).isEqualTo(group.placementGroupId() + ":1");
	}

	@Test
	void shouldReadActorsWithResourcesOnlyOutsideGroups() throws IOException {
		List<RayActorState> actors = fixture("actors-detail.json", new TypeReference<RayListResponse<RayActorState>>() {
		}).items();
		assertThat(actors).hasSize(6).allMatch(RayActorState::alive);
		Map<String, Double> ownGpusByJob = actors.stream()
			.collect(Collectors.groupingBy(RayActorState::jobId, Collectors.summingDouble(RayActorState::ownGpus)));
		// the two group members hold their bundle's GPU, not one of their own
		assertThat(ownGpusByJob).containsEntry(RAYLANE_RAY_JOB, 1.0).containsEntry(HAND_RAY_JOB, 2.0);
		assertThat(actors.stream().filter((a) -> a.placementGroupId() != null)).hasSize(2);
		assertThat(actors.stream().map(RayActorState::supervisedSubmission).filter(java.util.Objects::nonNull))
			.containsExactlyInAnyOrder("rl-fixture-1", "raysubmit_byhand01");
		assertThat(actors.get(0).pid()).isPositive();
	}

	@Test
	void shouldMapRayJobIdsToSubmissionIds() throws IOException {
		List<RayJobDetails> jobs = fixture("jobs.json", new TypeReference<>() {
		});
		assertThat(jobs).extracting(RayJobDetails::jobId, RayJobDetails::submissionId)
			.contains(org.assertj.core.groups.Tuple.tuple(RAYLANE_RAY_JOB, "rl-fixture-1"),
					org.assertj.core.groups.Tuple.tuple(HAND_RAY_JOB, "raysubmit_byhand01"));
	}

	@Test
	void shouldReadTheNodesTheBundlesAreOn() throws IOException {
		List<RayNodeState> nodes = fixture("nodes.json", new TypeReference<RayListResponse<RayNodeState>>() {
		}).items();
		assertThat(nodes).hasSize(3).anySatisfy((node) -> {
			assertThat(node.nodeId()).startsWith("68add08e");
			assertThat(RayContract.poolOf(node.resourcesTotal())).contains("default");
		});
	}

}
