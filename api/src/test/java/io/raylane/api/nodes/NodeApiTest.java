package io.raylane.api.nodes;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.raylane.api.ApiIntegrationTestSupport;
import io.raylane.topics.Topics;
import io.raylane.topics.events.DecommissionRequested;
import io.raylane.topics.events.DrainRequested;
import io.raylane.topics.events.NodeEvent;
import io.raylane.topics.events.NodeRegistered;
import io.raylane.topics.events.UndrainRequested;
import io.raylane.topics.node.NodeState;
import io.raylane.topics.node.NodeView;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fleet endpoints over HTTP on a real broker: admin only, validation before any
 * write, the read model.
 */
@Tag("slow")
class NodeApiTest extends ApiIntegrationTestSupport {

	static String spec(String id, String host) {
		return "{\"node_id\":\"" + id + "\",\"host\":\"" + host + "\",\"user\":\"ray\",\"pool\":\"default\","
				+ "\"gpus\":4,\"labels\":{\"zone\":\"a\"}}";
	}

	HttpResponse<String> register(String token, String body) throws Exception {
		return call("POST", "/v1/nodes", token, "application/json", body);
	}

	List<NodeEvent> eventsOf(String nodeId) {
		return values(Topics.NODE_EVENTS).stream().filter((e) -> e.nodeId().equals(nodeId)).toList();
	}

	@Test
	void shouldRefuseNonAdmins() throws Exception {
		assertThat(register(ALICE, spec("n-alice", "127.10.0.9")).statusCode()).isEqualTo(403);
		assertThat(get("/v1/nodes", ALICE).statusCode()).isEqualTo(403);
		assertThat(get("/v1/nodes", null).statusCode()).isEqualTo(401);
		assertThat(eventsOf("n-alice")).isEmpty();
	}

	@Test
	void shouldRefuseAHostileSpecWith400AndWriteNothing() throws Exception {
		long before = count(Topics.NODE_EVENTS);

		HttpResponse<String> response = register(ADMIN,
				"{\"node_id\":\"evil\",\"host\":\"x;touch /tmp/pwned\",\"user\":\"ray\",\"gpus\":1,"
						+ "\"labels\":{\"k\":\"'$(touch /tmp/pwned)'\"}}");

		assertThat(response.statusCode()).isEqualTo(400);
		JsonNode body = json(response);
		assertThat(body.get("error").asString()).isEqualTo("invalid_node_spec");
		assertThat(body.get("field").asString()).isEqualTo("host");
		assertThat(response.body()).contains("labels.k");
		assertThat(count(Topics.NODE_EVENTS)).isEqualTo(before);
	}

	@Test
	void shouldRegisterANodeAndServeItsStateFromTheSnapshotTopic() throws Exception {
		HttpResponse<String> response = register(ADMIN, spec("n-reg", "127.10.0.11"));

		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(json(response).get("state").asString()).isEqualTo("REGISTERED");
		assertThat(eventsOf("n-reg")).singleElement().isInstanceOfSatisfying(NodeRegistered.class, (r) -> {
			assertThat(r.spec().port()).isEqualTo(22);
			assertThat(r.by()).isEqualTo("admin");
		});
		JsonNode placeholder = json(get("/v1/nodes/n-reg", ADMIN));
		assertThat(placeholder.get("state").asString()).isEqualTo("REGISTERED");
		assertThat(placeholder.get("user").asString()).isEqualTo("ray");
		assertThat(placeholder.has("reason")).as("reason is always present").isTrue();

		produce(Topics.NODE_STATES.name(), "n-reg",
				Topics.NODE_STATES.valueSerde()
					.serializer()
					.serialize("t",
							new NodeView(1, "n-reg", "127.10.0.11", "default", NodeState.ONLINE, null, 4, 4,
									Map.of("zone", "a"), List.of("rl-1"), Instant.now(), 22, "ray")
								.withGpusHeldOutside(1)));

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(
					() -> assertThat(json(get("/v1/nodes/n-reg", ADMIN)).get("state").asString()).isEqualTo("ONLINE"));
		JsonNode node = json(get("/v1/nodes/n-reg", ADMIN));
		for (String field : List.of("node_id", "host", "port", "user", "pool", "labels", "gpus", "state", "reason",
				"jobs")) {
			assertThat(node.has(field)).as(field).isTrue();
		}
		assertThat(node.get("jobs").get(0).asString()).isEqualTo("rl-1");
		// issue 14: GPUs that Ray work Raylane did not submit holds on the node
		assertThat(node.get("gpus_held_outside").asInt()).isEqualTo(1);
		assertThat(placeholder.get("gpus_held_outside").asInt()).isZero();
		assertThat(register(ADMIN, spec("n-reg", "127.10.0.11")).statusCode()).as("a live node").isEqualTo(409);
		assertThat(json(get("/v1/nodes", ADMIN)).get("nodes").toString()).contains("n-reg");
	}

	@Test
	void shouldWriteDrainUndrainAndDecommissionRequests() throws Exception {
		register(ADMIN, spec("n-drain", "127.10.0.12"));

		HttpResponse<String> drain = call("POST", "/v1/nodes/n-drain:drain", ADMIN, "application/json",
				"{\"timeout\":\"10m\"}");
		HttpResponse<String> undrain = post("/v1/nodes/n-drain:undrain", ADMIN);
		HttpResponse<String> delete = call("DELETE", "/v1/nodes/n-drain", ADMIN, null, null);

		assertThat(List.of(drain.statusCode(), undrain.statusCode(), delete.statusCode())).containsOnly(202);
		List<NodeEvent> events = eventsOf("n-drain");
		assertThat(events).hasSize(4);
		assertThat(events.get(1)).isInstanceOfSatisfying(DrainRequested.class,
				(d) -> assertThat(d.deadline()).isAfter(Instant.now().plusSeconds(500)));
		assertThat(events.get(2)).isInstanceOf(UndrainRequested.class);
		assertThat(events.get(3)).isInstanceOf(DecommissionRequested.class);
		assertThat(post("/v1/nodes/nope:drain", ADMIN).statusCode()).isEqualTo(404);
	}

	/**
	 * Issue 12 item 1: a drain's deadline is bounded like a job's timeout, never a 500.
	 */
	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			value = { "timeout overflowing the clock|{\"timeout\":\"1000000000000d\"}|timeout",
					"timeout overflowing a long|{\"timeout\":\"99999999999999999999d\"}|timeout",
					"timeout past 30 days|{\"timeout\":\"31d\"}|timeout",
					"deadline at the end of time|{\"deadline\":\"+1000000000-12-31T23:59:59Z\"}|deadline" })
	void shouldRefuseADrainPastTheLongestJobNamingTheField(String scenario, String body, String field)
			throws Exception {
		register(ADMIN, spec("n-bound", "127.0.10.13"));

		HttpResponse<String> drain = call("POST", "/v1/nodes/n-bound:drain", ADMIN, "application/json", body);

		assertThat(drain.statusCode()).isEqualTo(400);
		assertThat(json(drain).get("field").asString()).isEqualTo(field);
	}

}
