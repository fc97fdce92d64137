package io.raylane.rayclient.wire;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The imitations' actor and placement-group lists against the answers captured from a
 * real Ray 2.60.0 (fixtures {@code fixtures/ray-2.60.0/}): the same envelope, columns and
 * JSON types as a real JobSupervisor actor.
 */
class StateListRouteTest {

	static final StateListRoute.Supervisor SUPERVISOR = new StateListRoute.Supervisor("rl-7", "node-w1", 4242L,
			Map.of("GPU", 2.0, "raylane-pool-default", 1.0), Map.of());

	static JsonNode fixture(String name) throws IOException {
		try (InputStream in = StateListRouteTest.class.getResourceAsStream("/fixtures/ray-2.60.0/" + name)) {
			assertThat(in).as("fixture " + name).isNotNull();
			return RayJson.mapper().readTree(in);
		}
	}

	static JsonNode json(StateListRoute.Answer answer) {
		return RayJson.mapper().readTree(RayJson.mapper().writeValueAsString(answer.body()));
	}

	static List<JsonNode> items(JsonNode envelope) {
		List<JsonNode> items = new ArrayList<>();
		envelope.at("/data/result/result").forEach(items::add);
		return items;
	}

	@Test
	void shouldListASupervisorWithTheColumnsAndTypesOfARealOne() throws IOException {
		JsonNode real = items(fixture("actors-detail.json")).stream()
			.filter((a) -> StateListRoute.SUPERVISOR_CLASS.equals(a.get("class_name").asString()))
			.findFirst()
			.orElseThrow();

		StateListRoute.Answer answer = StateListRoute.actors(Map.of("detail", "true", "limit", "10000"),
				List.of(SUPERVISOR));

		assertThat(answer.status()).isEqualTo(200);
		JsonNode envelope = json(answer);
		assertThat(envelope.propertyNames()).containsExactlyElementsOf(fixture("actors-detail.json").propertyNames());
		assertThat(envelope.at("/data/result").propertyNames())
			.containsExactlyElementsOf(fixture("actors-detail.json").at("/data/result").propertyNames());
		JsonNode mine = items(envelope).get(0);
		assertThat(mine.propertyNames()).containsExactlyElementsOf(real.propertyNames())
			.containsExactlyElementsOf(StateListRoute.ACTOR_COLUMNS);
		for (String column : StateListRoute.ACTOR_COLUMNS) {
			if (!real.get(column).isNull() && !mine.get(column).isNull()) {
				assertThat(mine.get(column).getNodeType()).as(column).isEqualTo(real.get(column).getNodeType());
			}
		}
		for (String same : List.of("class_name", "state", "job_id", "ray_namespace", "is_detached",
				"placement_group_id", "num_restarts")) {
			assertThat(mine.get(same)).as(same).isEqualTo(real.get(same));
		}
		RayActorState actor = RayJson.mapper().treeToValue(mine, RayActorState.class);
		assertThat(actor.supervisedSubmission()).isEqualTo("rl-7");
		assertThat(actor.nodeId()).isEqualTo("node-w1");
		assertThat(actor.ownGpus()).isEqualTo(2.0);
		assertThat(actor.actorId()).hasSize(real.get("actor_id").asString().length()).endsWith(actor.jobId());
	}

	@Test
	void shouldKeepOnlyTheSummaryColumnsWithoutDetail() {
		JsonNode row = items(json(StateListRoute.actors(Map.of(), List.of(SUPERVISOR)))).get(0);

		assertThat(row.propertyNames()).containsExactlyElementsOf(StateListRoute.ACTOR_SUMMARY_COLUMNS)
			.doesNotContain("required_resources", "placement_group_id");
	}

	@Test
	void shouldListNoPlacementGroupInRaysEnvelope() throws IOException {
		JsonNode envelope = json(StateListRoute.placementGroups(Map.of("detail", "true")));

		assertThat(envelope.at("/data/result").propertyNames())
			.containsExactlyElementsOf(fixture("placement_groups.json").at("/data/result").propertyNames());
		assertThat(items(envelope)).isEmpty();
		assertThat(envelope.at("/data/result/total").asInt()).isZero();
		assertThat(items(fixture("placement_groups.json")).get(0).propertyNames())
			.containsExactlyElementsOf(StateListRoute.PLACEMENT_GROUP_COLUMNS);
	}

	@Test
	void shouldAnswerRaysLimitsAndTruncate() {
		List<StateListRoute.Supervisor> three = List.of(SUPERVISOR,
				new StateListRoute.Supervisor("rl-8", "node-w1", 1L, Map.of(), Map.of()),
				new StateListRoute.Supervisor("rl-9", "node-w2", 2L, Map.of(), Map.of()));

		JsonNode truncated = json(StateListRoute.actors(Map.of("limit", "2"), three));
		assertThat(truncated.at("/data/result/total").asInt()).isEqualTo(3);
		assertThat(truncated.at("/data/result/num_after_truncation").asInt()).isEqualTo(2);
		assertThat(items(truncated)).hasSize(2);

		StateListRoute.Answer tooMany = StateListRoute.actors(Map.of("limit", "100000"), three);
		assertThat(tooMany.status()).isEqualTo(400);
		JsonNode body = json(tooMany);
		assertThat(body.get("result").asBoolean()).isFalse();
		assertThat(body.get("msg").asString()).startsWith("Given limit 100000 exceeds the supported limit 10000.");
		assertThat(body.at("/data/result").isNull()).isTrue();
		assertThat(StateListRoute.placementGroups(Map.of("limit", "x")).status()).isEqualTo(400);
	}

}
