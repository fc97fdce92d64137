package io.raylane.rayclient.wire;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Ray's wire shapes as docs/reference/ray-http.md §4 and §7 give them. */
class RayJsonTest {

	@Test
	void shouldWriteEveryJobDetailsKeyIncludingNulls() {
		RayJobDetails pending = new RayJobDetails("SUBMISSION", null, "rl-1", null, "PENDING", "echo hi",
				"Job has not started yet.", null, 1L, null, Map.of("raylane_job_id", "rl-1"), Map.of(), null, null,
				null);
		JsonNode json = RayJson.mapper().valueToTree(pending);
		assertThat(json.propertyNames()).containsExactly("type", "job_id", "submission_id", "driver_info", "status",
				"entrypoint", "message", "error_type", "start_time", "end_time", "metadata", "runtime_env",
				"driver_agent_http_address", "driver_node_id", "driver_exit_code");
		assertThat(json.get("driver_info").isNull()).isTrue();
	}

	@Test
	void shouldReadDriverInfoWithStringPid() {
		String body = """
				{"type":"SUBMISSION","job_id":"05000000","submission_id":"rl-7f3c2a",
				 "driver_info":{"id":"05000000","node_ip_address":"127.10.3.21","pid":"41877"},
				 "status":"RUNNING","entrypoint":"python3 -m verl.trainer.main_ppo","message":"Job is currently running.",
				 "error_type":null,"start_time":1735700000123,"end_time":null,"metadata":{"user":"ana"},
				 "runtime_env":{"env_vars":{"PYTHONPATH":"x"}},"driver_agent_http_address":"http://127.10.3.21:52365",
				 "driver_node_id":"8b1c","driver_exit_code":null,"attempt_number":0}
				""";
		RayJobDetails details = RayJson.mapper().readValue(body, RayJobDetails.class);
		assertThat(details.driverInfo().nodeIpAddress()).isEqualTo("127.10.3.21");
		assertThat(details.driverInfo().pid()).isEqualTo("41877");
		assertThat(details.startTime()).isEqualTo(1735700000123L);
	}

	@Test
	void shouldReadTheStateApiNodesEnvelopeAndFindThePool() {
		String body = """
				{"result": true, "msg": "", "data": {"result": {"total": 2, "num_after_truncation": 2, "num_filtered": 1,
				 "result": [{"node_id": "8b1c", "node_ip": "127.10.3.21", "is_head_node": false, "state": "ALIVE",
				   "state_message": null, "node_name": "127.10.3.21",
				   "resources_total": {"CPU": 64.0, "GPU": 8.0, "node:127.10.3.21": 1.0, "raylane-pool-a100": 1000.0},
				   "labels": {"ray.io/node-id": "8b1c"}}],
				 "partial_failure_warning": "", "warnings": null}}}
				""";
		RayListResponse<RayNodeState> nodes = RayJson.mapper()
			.readValue(body,
					RayJson.mapper()
						.getTypeFactory()
						.constructParametricType(RayListResponse.class, RayNodeState.class));
		List<RayNodeState> items = nodes.items();
		assertThat(items).hasSize(1);
		assertThat(items.get(0).alive()).isTrue();
		assertThat(items.get(0).isHeadNode()).isFalse();
		assertThat(RayContract.poolOf(items.get(0).resourcesTotal())).contains("a100");
	}

	@Test
	void shouldFindNoPoolOnTheHead() {
		assertThat(RayContract.poolOf(Map.of("node:127.0.0.1", 1.0, "node:__internal_head__", 1.0))).isEmpty();
	}

	@Test
	void shouldOmitNullsInRequests() {
		RayJobSubmitRequest request = new RayJobSubmitRequest("echo hi", "rl-1", null, Map.of("raylane_job_id", "rl-1"),
				null, null, Map.of("raylane-pool-default", 1.0));
		JsonNode json = RayJson.requestMapper().valueToTree(request);
		assertThat(json.propertyNames()).containsExactlyInAnyOrder("entrypoint", "submission_id", "metadata",
				"entrypoint_resources");
	}

}
