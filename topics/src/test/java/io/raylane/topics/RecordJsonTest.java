package io.raylane.topics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.events.Alert;
import io.raylane.topics.events.AuditEvent;
import io.raylane.topics.events.GpuUsage;
import io.raylane.topics.events.JobCommand;
import io.raylane.topics.events.JobLost;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.DecommissionNode;
import io.raylane.topics.events.DecommissionRequested;
import io.raylane.topics.events.Decommissioned;
import io.raylane.topics.events.DrainDelivered;
import io.raylane.topics.events.DrainNode;
import io.raylane.topics.events.DrainOnRay;
import io.raylane.topics.events.DrainRequested;
import io.raylane.topics.events.NodeObserved;
import io.raylane.topics.events.NodeRegistered;
import io.raylane.topics.events.ProvisionFailed;
import io.raylane.topics.events.ProvisionNode;
import io.raylane.topics.events.Provisioned;
import io.raylane.topics.events.UndrainRequested;
import io.raylane.topics.events.StopDelivered;
import io.raylane.topics.events.StopJob;
import io.raylane.topics.events.StopOnRay;
import io.raylane.topics.events.SubmitFailed;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.events.Submitted;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.job.NcclBandwidth;
import io.raylane.topics.job.Resources;
import io.raylane.topics.json.Json;
import io.raylane.topics.node.NodeSpec;
import io.raylane.topics.node.NodeState;
import io.raylane.topics.node.NodeView;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every record family: JSON round trip through its topic's serde, and the wire form
 * pinned by a golden file.
 */
class RecordJsonTest {

	static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

	static final NodeSpec SPEC = new NodeSpec("gpu-1", "127.10.0.7", 22, "ray", "default", Map.of("zone", "a"), 8,
			"fleet-key");

	static Stream<Arguments> records() {
		SubmitToRay submit = new SubmitToRay(1, "rl-1", "alice", "default", Jobs.aJob("rl-1").spec(),
				"echo hello from raylane", Map.of("env_vars", Map.of("GREETING", "hi")),
				Map.of("raylane-pool-default", 1.0),
				Map.of("raylane_job_id", "rl-1", "user", "alice", "pool", "default"), "/shared/jobs/rl-1",
				List.of("node-a"));
		JobView view = JobView.builder()
			.jobId("rl-1")
			.name("hello")
			.user("alice")
			.workload("command")
			.pool("default")
			.status(JobStatus.QUEUED)
			.reason("waiting")
			.resources(Resources.of(1, 4))
			.submittedAt(T)
			.jobDir("/shared/jobs/rl-1")
			.updatedAt(T)
			.build();
		return Stream.of(Arguments.of("submit-job", Topics.JOB_COMMANDS, Jobs.aJob("rl-1").submit()),
				Arguments.of("stop-job", Topics.JOB_COMMANDS, new StopJob("rl-1", "default", "alice", "user", T)),
				Arguments.of("submit-to-ray", Topics.DISPATCH, submit),
				Arguments.of("stop-on-ray", Topics.DISPATCH, new StopOnRay("rl-1", "default", "user")),
				Arguments.of("submitted", Topics.SUBMIT_RESULTS, new Submitted("rl-1", "default", false, T)),
				Arguments.of("submit-failed", Topics.SUBMIT_RESULTS,
						new SubmitFailed("rl-1", "default", true, "Ray unreachable", T)),
				Arguments.of("stop-delivered", Topics.SUBMIT_RESULTS,
						new StopDelivered("rl-1", "default", true, "user", T)),
				Arguments.of("job-observed", Topics.RAY_OBSERVATIONS,
						new JobObserved(1, "rl-1", "default", "RUNNING", "127.0.0.2", 1L, null, null,
								"Job is currently running.", null, T)),
				// issue 14: Ray's actual placement of the job
				Arguments.of("job-observed-placement", Topics.RAY_OBSERVATIONS,
						new JobObserved(1, "rl-1", "default", "RUNNING", "127.0.0.2", 1L, null, null,
								"Job is currently running.", null, T, null, null, null,
								List.of("127.0.0.2", "127.0.0.3"))),
				Arguments.of("job-lost", Topics.RAY_OBSERVATIONS,
						new JobLost("rl-1", "default", "RUNNING", T, T.plusSeconds(60))),
				Arguments.of("node-observed", Topics.NODE_EVENTS,
						new NodeObserved(1, "n1", "127.0.0.2", "default", true, 4, Map.of(), T, 2)),
				Arguments.of("node-registered", Topics.NODE_EVENTS,
						new NodeRegistered(1, "gpu-1", "default", SPEC, "root", T)),
				Arguments.of("drain-requested", Topics.NODE_EVENTS,
						new DrainRequested(1, "gpu-1", "default", T, "root", T)),
				Arguments.of("drain-requested-with-reason", Topics.NODE_EVENTS,
						new DrainRequested(1, "gpu-1", "default", T, "root", T, "NIC replacement")),
				Arguments.of("node-registered-head-with-env", Topics.NODE_EVENTS,
						new NodeRegistered(1, "head-1", "default",
								new NodeSpec("head-1", "127.10.0.2", 22, "ray", "default", Map.of(), 0, null, "head",
										Map.of("NCCL_SOCKET_IFNAME", "ens1f0")),
								"root", T)),
				Arguments.of("restart-ray-head", Topics.NODE_COMMANDS,
						new io.raylane.topics.events.RestartRayHead(1, "head-1", "default",
								new NodeSpec("head-1", "127.10.0.2", 22, "ray", "default", Map.of(), 0, null, "head",
										null),
								List.of(SPEC), "op-1", "root", T)),
				Arguments.of("ray-head-restarted", Topics.NODE_EVENTS,
						new io.raylane.topics.events.RayHeadRestarted(1, "head-1", "default", "op-1", true, null,
								List.of(new io.raylane.topics.events.RayHeadRestarted.WorkerRestart("gpu-1", true,
										null)),
								T)),
				Arguments.of("undrain-requested", Topics.NODE_EVENTS,
						new UndrainRequested(1, "gpu-1", "default", "root", T)),
				Arguments.of("decommission-requested", Topics.NODE_EVENTS,
						new DecommissionRequested(1, "gpu-1", "default", "root", T)),
				Arguments.of("provisioned", Topics.NODE_EVENTS,
						new Provisioned(1, "gpu-1", "default", "127.10.0.7", 0, "Ray runtime started.", "", 1, T)),
				Arguments.of("provision-failed", Topics.NODE_EVENTS,
						new ProvisionFailed(1, "gpu-1", "default", "127.10.0.7",
								"ssh: host key of 127.10.0.7:22 is not in the known_hosts file", null, "", "", 1, T)),
				Arguments.of("decommissioned", Topics.NODE_EVENTS,
						new Decommissioned(1, "gpu-1", "default", "127.10.0.7", true, false, 0,
								"Stopped all 5 Ray processes.", "", null, T)),
				Arguments.of("provision-node", Topics.NODE_COMMANDS,
						new ProvisionNode(1, "gpu-1", "default", SPEC, 1, T)),
				Arguments.of("drain-on-ray", Topics.NODE_COMMANDS,
						new DrainOnRay(1, "gpu-1", "default", SPEC, "4f2a", "raylane: draining node gpu-1",
								T.plusSeconds(600), T)),
				Arguments.of("drain-delivered", Topics.NODE_EVENTS,
						new DrainDelivered(1, "gpu-1", "default", "127.10.0.7", "4f2a", true, 0, "", "", null, T)),
				Arguments.of("drain-node", Topics.NODE_COMMANDS, new DrainNode(1, "gpu-1", "default", SPEC, null, T)),
				Arguments.of("decommission-node", Topics.NODE_COMMANDS,
						new DecommissionNode(1, "gpu-1", "default", SPEC, T)),
				Arguments.of("job-view", Topics.JOB_STATES, view),
				// issue 16 item 6: what a nccl_check measured per node pair
				Arguments.of("job-view-nccl-check", Topics.JOB_STATES,
						view.toBuilder()
							.workload("nccl_check")
							.status(JobStatus.SUCCEEDED)
							.reason(null)
							.ncclBandwidth(List.of(
									new NcclBandwidth(List.of("gpu-a", "gpu-b"), 330.58, 4294967296L, 160.2, 0, 0),
									new NcclBandwidth(List.of("gpu-b", "gpu-a"), null, null, null, null, 255)))
							.build()),
				Arguments.of("job-observed-nccl-check", Topics.RAY_OBSERVATIONS, new JobObserved(1, "rl-1", "default",
						"SUCCEEDED", "127.0.0.2", 1L, 2L, 0, "done", null, T, null, null,
						List.of(new NcclBandwidth(List.of("gpu-a", "gpu-b"), 330.58, 4294967296L, 160.2, 0, 0)), null)),
				Arguments.of("node-view", Topics.NODE_STATES,
						new NodeView(1, "n1", "127.0.0.2", "default", NodeState.ONLINE, null, 4, 0, Map.of(), List.of(),
								T)),
				Arguments.of("audit", Topics.AUDIT,
						new AuditEvent("alice", "submit_job", "rl-1", "accepted", "127.0.0.1", T)),
				Arguments.of("gpu-usage", Topics.ACCOUNTING,
						new GpuUsage(1, GpuUsage.idOf("rl-1", 2), "rl-1", "alice", "default", "ppo", 8, 2,
								T.plusSeconds(600), T.plusSeconds(750), 1200.0, true, 87.5, 61440.0)),
				Arguments.of("alert-gpu-idle", Topics.ALERTS, new Alert(1, Alert.idOf(Alert.GPU_IDLE, "rl-1", T),
						Alert.GPU_IDLE, Alert.SEVERITY_WARNING, "rl-1",
						"job rl-1 of alice holds 8 GPUs that stayed under 5% for 15m",
						Map.of("user", "alice", "pool", "default", "gpus", 8, "threshold_percent", 5, "window_seconds",
								900, "max_utilization_percent", 0.0, "node_ips", List.of("127.10.0.7")),
						T.plusSeconds(900))),
				Arguments.of("dead-letter", Topics.DEAD_LETTERS, DeadLetter.of("raylane.job-commands", 0, 7, "k",
						"garbage".getBytes(), "unreadable", "scheduler", T)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("records")
	@SuppressWarnings({ "unchecked", "rawtypes" })
	void shouldRoundTripThroughItsTopicSerde(String name, Topic topic, Object record) {
		byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), record);
		Object back = topic.valueSerde().deserializer().deserialize(topic.name(), bytes);
		assertThat(back).isEqualTo(record);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("records")
	@SuppressWarnings({ "unchecked", "rawtypes" })
	void shouldMatchGoldenFile(String name, Topic topic, Object record) throws IOException {
		byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), record);
		JsonNode actual = Json.mapper().readTree(bytes);
		if (System.getProperty("golden.update") != null) {
			java.nio.file.Path file = java.nio.file.Path.of("src/test/resources/golden", name + ".json");
			java.nio.file.Files.writeString(file, actual.toPrettyString() + "\n");
		}
		try (InputStream golden = getClass().getResourceAsStream("/golden/" + name + ".json")) {
			assertThat(golden).as("golden file golden/%s.json", name).isNotNull();
			JsonNode expected = Json.mapper().readTree(new String(golden.readAllBytes(), StandardCharsets.UTF_8));
			assertThat(actual).isEqualTo(expected);
		}
		assertThat(actual.get("type")).as("every record carries its type").isNotNull();
		assertThat(actual.get("schema_version").asInt()).isEqualTo(1);
	}

	@Test
	void shouldIgnoreUnknownFieldsAndDefaultTheSchemaVersion() {
		String json = "{\"type\":\"StopJob\",\"job_id\":\"rl-1\",\"pool\":\"default\",\"future_field\":42}";
		JobCommand command = Topics.JOB_COMMANDS.valueSerde().deserializer().deserialize("t", json.getBytes());
		assertThat(command).isInstanceOf(StopJob.class);
		assertThat(command.schemaVersion()).isEqualTo(1);
	}

	@Test
	void shouldRaiseSerializationExceptionOnGarbage() {
		assertThatThrownBy(
				() -> Topics.JOB_COMMANDS.valueSerde().deserializer().deserialize("t", "{not json".getBytes()))
			.isInstanceOf(SerializationException.class)
			.hasMessageContaining("JobCommand");
		assertThatThrownBy(() -> Topics.JOB_COMMANDS.valueSerde()
			.deserializer()
			.deserialize("t", "{\"type\":\"Nope\"}".getBytes())).isInstanceOf(SerializationException.class);
	}

	/**
	 * Issue 12's fuzz: an empty string is no number (nor boolean) on the topics either; a
	 * SubmitJob from another producer with {@code "nnodes": ""} is unreadable (a dead
	 * letter), not a job with the default node count.
	 */
	@ParameterizedTest
	@org.junit.jupiter.params.provider.ValueSource(strings = { "\"nnodes\":\"\"", "\"n_gpus_per_node\":\" \"" })
	void shouldRefuseAnEmptyStringForANumber(String resources) {
		String json = "{\"type\":\"SubmitJob\",\"job_id\":\"rl-1\",\"user\":\"alice\",\"spec\":{\"workload\":\"command\","
				+ "\"command\":\"x\",\"resources\":{" + resources + "}}}";

		assertThatThrownBy(() -> Topics.JOB_COMMANDS.valueSerde().deserializer().deserialize("t", json.getBytes()))
			.isInstanceOf(SerializationException.class)
			.hasMessageContaining("JobCommand");
	}

}
