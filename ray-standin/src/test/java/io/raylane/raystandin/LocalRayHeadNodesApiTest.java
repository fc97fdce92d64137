package io.raylane.raystandin;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.raylane.rayclient.wire.RayJobDetails;
import io.raylane.rayclient.wire.RayJson;
import io.raylane.rayclient.wire.RayListResponse;
import io.raylane.rayclient.wire.RayNodeState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The State API node list, the cluster's shape, joining and leaving, and the start
 * timeout, over real HTTP.
 */
class LocalRayHeadNodesApiTest {

	@TempDir
	static Path stateDir;

	static LocalRayHead head;

	static RayHttp ray;

	@BeforeAll
	static void startHead() {
		head = LocalRayHead
			.start(LocalRayHeadConfig.defaults(stateDir).withPort(0).withStartTimeout(Duration.ofSeconds(1)));
		ray = new RayHttp(head.address());
	}

	@AfterAll
	static void stopHead() {
		head.close();
	}

	@Test
	void shouldListTheHeadAndTwoPoolWorkersInTheStateApiEnvelope() {
		JsonNode envelope = RayHttp.json(ray.get("/api/v0/nodes?limit=1000&detail=true"));

		assertThat(envelope.propertyNames()).containsExactly("result", "msg", "data");
		assertThat(envelope.get("result").asBoolean()).isTrue();
		assertThat(envelope.get("msg").asString()).isEmpty();
		assertThat(envelope.get("data").get("result").propertyNames()).containsExactly("total", "num_after_truncation",
				"num_filtered", "result", "partial_failure_warning", "warnings");
		List<RayNodeState> nodes = nodes("/api/v0/nodes?limit=1000&detail=true");
		assertThat(nodes).extracting(RayNodeState::nodeId).isSorted();
		RayNodeState theHead = nodes.stream().filter(RayNodeState::isHeadNode).findFirst().orElseThrow();
		assertThat(theHead.nodeId()).isEqualTo(head.headNodeId()).hasSize(56);
		assertThat(theHead.nodeIp()).isEqualTo("127.0.0.1");
		assertThat(theHead.resourcesTotal()).isEqualTo(Map.of("node:127.0.0.1", 1.0, "node:__internal_head__", 1.0));
		assertThat(theHead.startTimeMs()).isPositive();
		List<RayNodeState> workers = nodes.stream().filter((n) -> !n.isHeadNode()).toList();
		assertThat(workers).extracting(RayNodeState::nodeIp).contains("127.0.0.2", "127.0.0.3");
		RayNodeState first = workers.stream().filter((n) -> n.nodeIp().equals("127.0.0.2")).findFirst().orElseThrow();
		assertThat(first.state()).isEqualTo("ALIVE");
		assertThat(first.nodeName()).isEqualTo("127.0.0.2");
		assertThat(first.resourcesTotal()).containsEntry("GPU", 4.0)
			.containsEntry("raylane-pool-default", 1000.0)
			.containsEntry("node:127.0.0.2", 1.0)
			.containsKeys("CPU", "memory", "object_store_memory");
		assertThat(first.labels()).containsEntry("ray.io/node-id", first.nodeId());
	}

	@Test
	void shouldFilterOnColumnsAndLeaveDetailColumnsOut() {
		HttpResponse<String> response = ray
			.get("/api/v0/nodes?limit=100&filter_keys=is_head_node&filter_predicates=%3D&filter_values=false"
					+ "&filter_keys=state&filter_predicates=%3D&filter_values=alive");

		JsonNode list = RayHttp.json(response).get("data").get("result");
		assertThat(list.get("num_filtered").asInt()).isEqualTo(list.get("result").size());
		assertThat(list.get("total").asInt()).isGreaterThan(list.get("num_filtered").asInt());
		assertThat(list.get("result").values()).allSatisfy((node) -> {
			assertThat(node.get("is_head_node").asBoolean()).isFalse();
			assertThat(node.get("state").asString()).isEqualTo("ALIVE");
			assertThat(node.has("start_time_ms")).isFalse();
		});
		assertThat(list.get("result").values()).extracting((n) -> n.get("node_ip").asString())
			.contains("127.0.0.2", "127.0.0.3");
	}

	@Test
	void shouldRefuseALimitAboveTenThousand() {
		HttpResponse<String> response = ray.get("/api/v0/nodes?limit=10001");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(RayHttp.json(response).get("result").asBoolean()).isFalse();
		assertThat(ray.get("/api/v0/nodes?filter_keys=cpu&filter_predicates=%3D&filter_values=1").statusCode())
			.isEqualTo(400);
	}

	@Test
	void shouldKeepANodeThatLeftListedAsDeadAndFailItsDrivers() {
		String nodeId = head
			.join(new WorkerSpec("127.0.0.60", 8, Map.of("raylane-pool-h100", 1000.0), Map.of("zone", "a")));
		String job = ray.submit("sleep 600", Map.of("raylane-pool-h100", 1.0));
		RayJobDetails running = ray.awaitStatus(job, "RUNNING");
		assertThat(running.driverNodeId()).isEqualTo(nodeId);
		List<ProcessHandle> tree = RayHttp.processTree(head, job);

		head.leave(nodeId, "Expected termination: received SIGTERM");

		RayNodeState dead = nodes("/api/v0/nodes?filter_keys=node_id&filter_predicates=%3D&filter_values=" + nodeId)
			.get(0);
		assertThat(dead.state()).isEqualTo("DEAD");
		assertThat(dead.stateMessage()).isEqualTo("Expected termination: received SIGTERM");
		assertThat(dead.labels()).containsEntry("zone", "a");
		RayJobDetails failed = ray.awaitStatus(job, "FAILED");
		assertThat(failed.errorType()).isEqualTo("JOB_SUPERVISOR_ACTOR_DIED");
		org.awaitility.Awaitility.await().until(() -> tree.stream().noneMatch(RayHttp::running));
	}

	@Test
	void shouldJoinAndLeaveThroughTheInternalRoutes() {
		HttpResponse<String> joined = ray.post("/raylane-local/v1/nodes",
				"{\"node_ip_address\": \"127.0.0.70\", \"num_gpus\": 2, \"resources\": {\"raylane-pool-l4\": 1000}}");
		assertThat(joined.statusCode()).as(joined.body()).isEqualTo(200);
		String nodeId = RayHttp.json(joined).get("node_id").asString();
		assertThat(head.aliveWorkers()).contains(nodeId);
		assertThat(ray.post("/raylane-local/v1/nodes", "{\"node_ip_address\": \"127.0.0.70\"}").statusCode())
			.isEqualTo(409);

		JsonNode left = RayHttp
			.json(ray.post("/raylane-local/v1/nodes/leave", "{\"node_ip_address\": \"127.0.0.70\"}"));
		assertThat(left.get("left").values()).extracting(JsonNode::asString).containsExactly(nodeId);
		assertThat(head.aliveWorkers()).doesNotContain(nodeId);
		JsonNode again = RayHttp
			.json(ray.post("/raylane-local/v1/nodes/leave", "{\"node_ip_address\": \"127.0.0.70\"}"));
		assertThat(again.get("left").isEmpty()).isTrue();

		String rejoined = RayHttp.json(ray.post("/raylane-local/v1/nodes", "{\"node_ip_address\": \"127.0.0.70\"}"))
			.get("node_id")
			.asString();
		assertThat(rejoined).isNotEqualTo(nodeId);
	}

	@Test
	void shouldFailAJobThatWaitsLongerThanTheStartTimeout() {
		String id = ray.submit("echo never", Map.of("nobody-has-this", 1.0));

		RayJobDetails failed = ray.awaitStatus(id, "FAILED");

		assertThat(failed.errorType()).isEqualTo("JOB_SUPERVISOR_ACTOR_START_TIMEOUT");
		assertThat(failed.message()).startsWith("Job supervisor actor failed to start within 1.0 seconds.");
		assertThat(failed.endTime()).isNotNull();
		assertThat(failed.driverNodeId()).isNull();
	}

	private static List<RayNodeState> nodes(String path) {
		HttpResponse<String> response = ray.get(path);
		assertThat(response.statusCode()).isEqualTo(200);
		RayListResponse<RayNodeState> list = RayJson.mapper()
			.readValue(response.body(), new TypeReference<RayListResponse<RayNodeState>>() {
			});
		return list.items();
	}

}
