package io.raylane.api.ops;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import io.raylane.api.ApiIntegrationTestSupport;
import io.raylane.topics.Topics;
import io.raylane.topics.events.AuditEvent;
import io.raylane.topics.events.DrainRequested;
import io.raylane.topics.events.NodeCommand;
import io.raylane.topics.events.NodeEvent;
import io.raylane.topics.events.RayHeadRestarted;
import io.raylane.topics.events.RestartRayHead;
import io.raylane.topics.events.StopJob;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.job.Resources;
import io.raylane.topics.node.NodeSpec;
import io.raylane.topics.node.NodeState;
import io.raylane.topics.node.NodeView;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ops API over HTTP on a real broker (issue 16): admin only, 404 naming the node, 400
 * naming the field, a dry run that writes nothing, the audit record, and the real effect
 * (the records the scheduler and the node-agent act on).
 */
@Tag("slow")
class OpsApiTest extends ApiIntegrationTestSupport {

	static final String JSON = "application/json";

	HttpResponse<String> ops(String operation, String token, String body) throws Exception {
		return call("POST", "/v1/ops/" + operation, token, JSON, body);
	}

	void publishNode(NodeView view) {
		produce(Topics.NODE_STATES.name(), view.nodeId(),
				Topics.NODE_STATES.valueSerde().serializer().serialize("", view));
	}

	static NodeView node(String id, String host, NodeState state, String reason, List<String> jobs, String role) {
		NodeSpec spec = new NodeSpec(id, host, 22, "ray", "default", Map.of(), "head".equals(role) ? 0 : 4, null, role,
				null);
		return new NodeView(1, id, host, "default", state, reason, spec.gpusOrZero(), 0, Map.of(), jobs, Instant.now(),
				22, "ray", spec);
	}

	static JobView job(String id, JobStatus status, List<String> nodes) {
		return JobView.builder()
			.jobId(id)
			.user("alice")
			.name("job")
			.workload("command")
			.pool("default")
			.status(status)
			.resources(Resources.of(1, 1))
			.nodes(nodes)
			.submittedAt(Instant.now())
			.updatedAt(Instant.now())
			.build();
	}

	void awaitNode(String id) {
		await().atMost(Duration.ofSeconds(20)).until(() -> get("/v1/nodes/" + id, ADMIN).statusCode() == 200);
	}

	void awaitJob(String id) {
		await().atMost(Duration.ofSeconds(20)).until(() -> get("/v1/jobs/" + id, ADMIN).statusCode() == 200);
	}

	List<AuditEvent> audit(String action, String subject) {
		return values(Topics.AUDIT).stream()
			.filter((a) -> action.equals(a.action()) && subject.equals(a.subject()))
			.toList();
	}

	List<NodeEvent> nodeEvents(String id) {
		return values(Topics.NODE_EVENTS).stream().filter((e) -> id.equals(e.nodeId())).toList();
	}

	@Test
	void shouldRefuseNonAdminsAndWriteNothing() throws Exception {
		long events = count(Topics.NODE_EVENTS);
		long commands = count(Topics.NODE_COMMANDS);

		assertThat(ops("drain_node", ALICE, "{\"node_id\":\"n-any\"}").statusCode()).isEqualTo(403);
		assertThat(ops("restart_ray_head", ALICE, "{}").statusCode()).isEqualTo(403);
		assertThat(get("/v1/ops/operations/op-x", ALICE).statusCode()).isEqualTo(403);
		assertThat(ops("drain_node", null, "{\"node_id\":\"n-any\"}").statusCode()).isEqualTo(401);

		assertThat(count(Topics.NODE_EVENTS)).isEqualTo(events);
		assertThat(count(Topics.NODE_COMMANDS)).isEqualTo(commands);
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(values(Topics.AUDIT)).anySatisfy((a) -> {
			assertThat(a.user()).isEqualTo("alice");
			assertThat(a.action()).isEqualTo("restart_ray_head");
			assertThat(a.outcome()).isEqualTo("refused: 403");
		}));
	}

	@Test
	void shouldAnswer404NamingAnUnknownNodeAnd400NamingABadField() throws Exception {
		HttpResponse<String> unknown = ops("drain_node", ADMIN, "{\"node_id\":\"n-nowhere\",\"dry_run\":true}");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(json(unknown).get("field").asString()).isEqualTo("node_id");
		assertThat(json(unknown).get("detail").asString()).contains("n-nowhere");

		for (String[] bad : new String[][] { { "{}", "node_id" },
				{ "{\"node_id\":\"n-1\",\"timeout\":\"soon\"}", "timeout" },
				{ "{\"node_id\":\"n-1\",\"timeout\":\"31d\"}", "timeout" },
				{ "{\"node_id\":\"n-1\",\"deadline\":\"tomorrow\"}", "deadline" },
				{ "{\"node_id\":\"n-1\",\"dry_run\":\"maybe\"}", "dry_run" },
				{ "{\"node_id\":\"n-1\",\"reason\":\"two\\nlines\"}", "reason" },
				{ "{\"node_id\":\"n-1\",\"nodeid\":\"x\"}", "nodeid" } }) {
			HttpResponse<String> response = ops("drain_node", ADMIN, bad[0]);
			assertThat(response.statusCode()).as(bad[0]).isEqualTo(400);
			assertThat(json(response).get("field").asString()).as(bad[0]).isEqualTo(bad[1]);
		}
		HttpResponse<String> badForce = ops("restart_ray_head", ADMIN, "{\"force\":\"yes\"}");
		assertThat(badForce.statusCode()).isEqualTo(400);
		assertThat(json(badForce).get("field").asString()).isEqualTo("force");
		assertThat(get("/v1/ops/operations/op-nope", ADMIN).statusCode()).isEqualTo(404);
	}

	@Test
	void shouldDryRunADrainThenDrainOnceWithTheReason() throws Exception {
		String jobId = freshId("drain");
		publishView(job(jobId, JobStatus.RUNNING, List.of("n-ops-drain")));
		publishNode(node("n-ops-drain", "127.10.0.31", NodeState.ONLINE, null, List.of(jobId), null));
		awaitNode("n-ops-drain");
		awaitJob(jobId);
		Instant deadline = Instant.now().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
		String body = "{\"node_id\":\"n-ops-drain\",\"deadline\":\"" + deadline + "\",\"reason\":\"NIC replacement\"";

		// 1. dry run: the plan, nothing written
		HttpResponse<String> dry = ops("drain_node", ADMIN, body + ",\"dry_run\":true}");
		assertThat(dry.statusCode()).isEqualTo(200);
		JsonNode plan = json(dry);
		assertThat(plan.get("dry_run").asBoolean()).isTrue();
		assertThat(plan.get("state").asString()).isEqualTo("ONLINE");
		assertThat(plan.get("deadline").asString()).isEqualTo(deadline.toString());
		assertThat(plan.get("jobs").get(0).get("job_id").asString()).isEqualTo(jobId);
		assertThat(plan.get("jobs").get(0).get("user").asString()).isEqualTo("alice");
		assertThat(plan.get("jobs").get(0).get("action").asString()).isEqualTo("stop");
		assertThat(nodeEvents("n-ops-drain")).isEmpty();

		// 2. the drain: the scheduler's DrainRequested, with the reason
		HttpResponse<String> drain = ops("drain_node", ADMIN, body + "}");
		assertThat(drain.statusCode()).isEqualTo(202);
		assertThat(json(drain).get("changed").asBoolean()).isTrue();
		assertThat(nodeEvents("n-ops-drain")).singleElement().isInstanceOfSatisfying(DrainRequested.class, (d) -> {
			assertThat(d.deadline()).isEqualTo(deadline);
			assertThat(d.reason()).isEqualTo("NIC replacement");
			assertThat(d.by()).isEqualTo("admin");
		});

		// 3. the same drain again, once the scheduler shows it: 200, nothing written
		publishNode(node("n-ops-drain", "127.10.0.31", NodeState.DRAINING,
				"draining (NIC replacement): no new jobs; running jobs are stopped at " + deadline
						+ "; Ray drains it too",
				List.of(jobId), null));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> json(get("/v1/nodes/n-ops-drain", ADMIN)).get("state").asString().equals("DRAINING"));
		HttpResponse<String> again = ops("drain_node", ADMIN, body + "}");
		assertThat(again.statusCode()).isEqualTo(200);
		assertThat(json(again).get("changed").asBoolean()).isFalse();
		assertThat(nodeEvents("n-ops-drain")).hasSize(1);

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(audit("drain_node", "n-ops-drain")).extracting(AuditEvent::outcome)
				.containsExactly("dry_run", "accepted", "unchanged"));
	}

	/**
	 * One test, in order, because the head is cluster-wide: 404 without a head; with one
	 * and a running job, 409 naming it; the dry run; the forced restart and its outcome.
	 */
	@Test
	void shouldRestartTheRayHeadOnlyWhenForcedWhileJobsRun() throws Exception {
		assertThat(ops("restart_ray_head", ADMIN, "{\"dry_run\":true}").statusCode()).isEqualTo(404);

		String running = freshId("head-run");
		String dispatched = freshId("head-disp");
		publishView(job(running, JobStatus.RUNNING, List.of("n-ops-w1")));
		publishView(job(dispatched, JobStatus.DISPATCHED, List.of("n-ops-w1")));
		publishNode(node("n-ops-w1", "127.10.0.41", NodeState.ONLINE, null, List.of(running, dispatched), null));
		publishNode(node("n-ops-head", "127.10.0.40", NodeState.ONLINE, null, List.of(), "head"));
		awaitNode("n-ops-head");
		awaitNode("n-ops-w1");
		awaitJob(running);
		awaitJob(dispatched);
		assertThat(json(get("/v1/nodes/n-ops-head", ADMIN)).get("role").asString()).isEqualTo("head");
		long commands = count(Topics.NODE_COMMANDS);

		// 1. refused while a job runs, naming it
		HttpResponse<String> refused = ops("restart_ray_head", ADMIN, "{}");
		assertThat(refused.statusCode()).isEqualTo(409);
		assertThat(json(refused).get("detail").asString()).contains(running).doesNotContain(dispatched);

		// 2. the dry run says what would happen, writes nothing
		HttpResponse<String> dry = ops("restart_ray_head", ADMIN, "{\"dry_run\":true}");
		assertThat(dry.statusCode()).isEqualTo(200);
		JsonNode plan = json(dry);
		assertThat(plan.get("status").asString()).isEqualTo("planned");
		assertThat(plan.get("head_node_id").asString()).isEqualTo("n-ops-head");
		assertThat(plan.get("jobs").toString()).contains("\"job_id\":\"" + running + "\"")
			.contains("\"job_id\":\"" + dispatched + "\"");
		assertThat(action(plan, running)).isEqualTo("end");
		assertThat(action(plan, dispatched)).isEqualTo("resubmit");
		assertThat(plan.get("workers").toString()).contains("\"node_id\":\"n-ops-w1\"").doesNotContain("n-ops-head");
		assertThat(count(Topics.NODE_COMMANDS)).isEqualTo(commands);

		// 3. forced: the running job stopped with the reason, the node-agent's command
		HttpResponse<String> forced = ops("restart_ray_head", ADMIN, "{\"force\":true}");
		assertThat(forced.statusCode()).isEqualTo(202);
		String operationId = json(forced).get("operation_id").asString();
		assertThat(forced.headers().firstValue("Location")).hasValue("/v1/ops/operations/" + operationId);
		assertThat(values(Topics.JOB_COMMANDS)).filteredOn((c) -> c.jobId().equals(running))
			.singleElement()
			.isInstanceOfSatisfying(StopJob.class,
					(stop) -> assertThat(stop.reason()).contains("the Ray head restarts").contains(operationId));
		assertThat(values(Topics.JOB_COMMANDS)).noneMatch((c) -> c.jobId().equals(dispatched));
		List<NodeCommand> restart = values(Topics.NODE_COMMANDS).stream()
			.filter((c) -> c instanceof RestartRayHead r && operationId.equals(r.operationId()))
			.toList();
		assertThat(restart).singleElement().isInstanceOfSatisfying(RestartRayHead.class, (r) -> {
			assertThat(r.spec().isHead()).isTrue();
			assertThat(r.workers()).extracting(NodeSpec::nodeId).contains("n-ops-w1").doesNotContain("n-ops-head");
		});
		assertThat(json(get("/v1/ops/operations/" + operationId, ADMIN)).get("status").asString()).isEqualTo("running");
		HttpResponse<String> again = ops("restart_ray_head", ADMIN, "{\"force\":true}");
		assertThat(again.statusCode()).as("the restart under way, not a second one").isEqualTo(200);
		assertThat(json(again).get("operation_id").asString()).isEqualTo(operationId);
		assertThat(values(Topics.NODE_COMMANDS)).filteredOn((c) -> c instanceof RestartRayHead).hasSize(1);

		// 4. the node-agent's report becomes the operation's outcome
		produce(Topics.NODE_EVENTS.name(), "n-ops-head",
				Topics.NODE_EVENTS.valueSerde()
					.serializer()
					.serialize("", new RayHeadRestarted(1, "n-ops-head", "default", operationId, true, null,
							List.of(new RayHeadRestarted.WorkerRestart("n-ops-w1", true, null)), Instant.now())));
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(
					() -> assertThat(json(get("/v1/ops/operations/" + operationId, ADMIN)).get("status").asString())
						.isEqualTo("succeeded"));
		JsonNode outcome = json(get("/v1/ops/operations/" + operationId, ADMIN));
		assertThat(outcome.get("finished_at").isNull()).isFalse();
		assertThat(action(outcome, running)).isEqualTo("end");
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(audit("restart_ray_head", "n-ops-head")).extracting(AuditEvent::outcome)
				.containsExactly("refused", "dry_run", "accepted " + operationId, "unchanged " + operationId));
	}

	static String action(JsonNode answer, String jobId) {
		for (JsonNode job : answer.get("jobs")) {
			if (job.get("job_id").asString().equals(jobId)) {
				return job.get("action").asString();
			}
		}
		return null;
	}

}
