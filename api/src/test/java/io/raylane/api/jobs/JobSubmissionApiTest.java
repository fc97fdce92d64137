package io.raylane.api.jobs;

import java.net.http.HttpResponse;
import java.util.List;

import io.raylane.api.ApiIntegrationTestSupport;
import io.raylane.topics.Topics;
import io.raylane.topics.events.JobCommand;
import io.raylane.topics.events.SubmitJob;
import io.raylane.topics.job.JobSpec;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.ProducerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /v1/jobs} end to end: durable SubmitJob on accept, nothing at all on
 * refusal.
 */
@Tag("slow")
class JobSubmissionApiTest extends ApiIntegrationTestSupport {

	@Autowired
	private ProducerFactory<String, byte[]> producerFactory;

	@Test
	void shouldReportUpOnThePublicHealthEndpoint() throws Exception {
		HttpResponse<String> health = get("/actuator/health", null);

		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(json(health).get("status").asString()).isEqualTo("UP");
	}

	@Test
	void shouldServePrometheusMetricsOnlyWithAToken() throws Exception {
		assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
		HttpResponse<String> metrics = get("/actuator/prometheus", BOB);
		assertThat(metrics.statusCode()).isEqualTo(200);
		assertThat(metrics.body()).contains("jvm_memory_used_bytes");
		// issue 17: each request is timed as a whole, Spring Security's own steps are not
		// observed (per-request work nobody reads)
		assertThat(metrics.body()).contains("http_server_requests_seconds")
			.doesNotContain("spring_security_filterchains")
			.doesNotContain("spring_security_authentications")
			.doesNotContain("spring_security_authorizations");
	}

	@Test
	void shouldKeepOtherActuatorEndpointsForAdmins() throws Exception {
		HttpResponse<String> refused = get("/actuator", ALICE);

		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(json(refused).get("error").asString()).isEqualTo("forbidden");
		assertThat(get("/actuator", ADMIN).statusCode()).isEqualTo(200);
	}

	/**
	 * Issue 12: beyond {@code max_jobs} jobs queued or running the user gets 429 and
	 * nothing is written; the jobs list answers a page at a time.
	 */
	@Test
	void shouldRefuseAJobBeyondTheUsersCapWith429AndListTheirJobsPageByPage() throws Exception {
		String body = "{\"workload\": \"command\", \"command\": \"sleep 60\"}";
		String first = json(submit("carol-test-token-0123456789", "application/json", body)).get("job_id").asString();
		String second = json(submit("carol-test-token-0123456789", "application/json", body)).get("job_id").asString();
		long written = count(Topics.JOB_COMMANDS);

		HttpResponse<String> refused = submit("carol-test-token-0123456789", "application/json", body);

		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(json(refused).get("error").asString()).isEqualTo("too_many_jobs");
		assertThat(json(refused).get("detail").asString()).contains("2 jobs queued or running").contains("max_jobs: 2");
		assertThat(count(Topics.JOB_COMMANDS)).isEqualTo(written);

		JsonNode page1 = json(get("/v1/jobs?limit=1", "carol-test-token-0123456789"));
		JsonNode page2 = json(get("/v1/jobs?limit=1&page_token=" + page1.get("next_page_token").asString(),
				"carol-test-token-0123456789"));
		assertThat(page1.get("jobs")).hasSize(1);
		assertThat(page2.get("jobs")).hasSize(1);
		assertThat(List.of(page1.get("jobs").get(0).get("job_id").asString(),
				page2.get("jobs").get(0).get("job_id").asString()))
			.containsExactlyInAnyOrder(first, second);
		assertThat(page2.hasNonNull("next_page_token")).isFalse();
		assertThat(get("/v1/jobs?limit=0", "carol-test-token-0123456789").statusCode()).isEqualTo(400);
	}

	@Test
	void shouldProduceIdempotentlyWithAcksAll() {
		assertThat(this.producerFactory.getConfigurationProperties()).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
			.containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
			.doesNotContainKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
	}

	@Test
	void shouldAcceptJsonAndWriteTheSpecWithDefaultsToJobCommands() throws Exception {
		HttpResponse<String> answer = submit(ALICE, "application/json",
				"{\"name\": \"hello\", \"workload\": \"command\", \"command\": \"echo hi\", \"resources\": {\"n_gpus_per_node\": 2}}");

		assertThat(answer.statusCode()).isEqualTo(202);
		String jobId = json(answer).get("job_id").asString();
		assertThat(jobId).matches("rl-[a-z2-7]{12}");
		assertThat(json(answer).get("status").asString()).isEqualTo("ACCEPTED");
		SubmitJob command = submitted(jobId);
		assertThat(command.user()).isEqualTo("alice");
		assertThat(command.spec()).isEqualTo(new JobSpec("hello", "command", "echo hi", "default",
				io.raylane.topics.job.Resources.of(1, 2), null, java.util.Map.of()));
		assertThat(command.acceptedAt()).isNotNull();
		assertThat(records(Topics.JOB_COMMANDS)).filteredOn((r) -> jobId.equals(r.key())).hasSize(1);
	}

	@Test
	void shouldAcceptYamlAndShowTheJobAsAcceptedAtOnce() throws Exception {
		HttpResponse<String> answer = submit(BOB, "application/x-yaml", """
				name: yaml-job
				workload: command
				command: python train.py
				pool: a100
				resources: {nnodes: 2, n_gpus_per_node: 8}
				timeout: 2h
				""");

		assertThat(answer.statusCode()).isEqualTo(202);
		String jobId = json(answer).get("job_id").asString();
		assertThat(answer.headers().firstValue("Location")).hasValue("/v1/jobs/" + jobId);
		assertThat(submitted(jobId).spec().pool()).isEqualTo("a100");
		// read-your-writes: no scheduler runs here, yet the job is visible with what was
		// accepted
		JsonNode view = json(get("/v1/jobs/" + jobId, BOB));
		assertThat(view.get("status").asString()).isEqualTo("ACCEPTED");
		assertThat(view.get("user").asString()).isEqualTo("bob");
		assertThat(view.get("pool").asString()).isEqualTo("a100");
		assertThat(view.get("resources").get("n_gpus_per_node").asInt()).isEqualTo(8);
		assertThat(view.get("job_dir").asString()).endsWith("/jobs/" + jobId).startsWith("/");
		assertThat(view.get("spec").get("command").asString()).isEqualTo("python train.py");
		assertThat(values(Topics.AUDIT)).filteredOn((e) -> jobId.equals(e.subject()))
			.singleElement()
			.satisfies((e) -> assertThat(e.user()).isEqualTo("bob"))
			.satisfies((e) -> assertThat(e.action()).isEqualTo("submit_job"))
			.satisfies((e) -> assertThat(e.toString()).doesNotContain(BOB));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', value = {
			"malformed YAML|application/yaml|'workload: command\n  command: x: y\n'|malformed_jobspec|",
			"malformed JSON|application/json|{\"workload\": \"command\", |malformed_jobspec|",
			"unknown workload|application/json|{\"workload\": \"train\", \"command\": \"x\"}|invalid_jobspec|workload",
			"missing command|application/yaml|'workload: command\n'|invalid_jobspec|command",
			"negative GPUs|application/json|{\"workload\": \"command\", \"command\": \"x\", \"resources\": {\"n_gpus_per_node\": -1}}|invalid_jobspec|resources.n_gpus_per_node",
			"wrong type|application/json|{\"workload\": \"command\", \"command\": \"x\", \"resources\": {\"nnodes\": \"x\"}}|invalid_jobspec|resources.nnodes",
			"unknown field|application/json|{\"workload\": \"command\", \"command\": \"x\", \"gpus\": 2}|invalid_jobspec|gpus",
			"timeout overflowing a long (issue 12)|application/json|{\"workload\": \"command\", \"command\": \"x\", \"timeout\": \"99999999999999999999d\"}|invalid_jobspec|timeout",
			"timeout overflowing the clock (issue 12)|application/yaml|'workload: command\ncommand: x\ntimeout: 1000000000000d\n'|invalid_jobspec|timeout",
			"plain text|text/plain|echo hi|unsupported_media_type|" })
	void shouldRefuseBadInputNamingTheFieldAndWriteNothing(String scenario, String contentType, String body,
			String error, String field) throws Exception {
		long commandsBefore = count(Topics.JOB_COMMANDS);
		long auditBefore = count(Topics.AUDIT);
		java.time.Instant sent = java.time.Instant.now();

		HttpResponse<String> answer = submit(ALICE, contentType, body);

		assertThat(answer.statusCode()).isEqualTo("unsupported_media_type".equals(error) ? 415 : 400);
		assertThat(answer.headers().firstValue("Content-Type"))
			.hasValueSatisfying((t) -> assertThat(t).startsWith("application/json"));
		JsonNode problem = json(answer);
		assertThat(problem.get("error").asString()).isEqualTo(error);
		assertThat(problem.has("field")).isTrue();
		assertThat(problem.get("field").isNull() ? null : problem.get("field").asString()).isEqualTo(field);
		assertThat(problem.get("detail").asString()).isNotBlank();
		// a later accepted job proves the producer works; the refused one left no record
		// anywhere
		assertThat(submit(ALICE, "application/json", "{\"workload\": \"command\", \"command\": \"true\"}").statusCode())
			.isEqualTo(202);
		assertThat(count(Topics.JOB_COMMANDS)).isEqualTo(commandsBefore + 1);
		// issue 12: the refusal is audited too (the accepted job is the other record)
		await().untilAsserted(() -> assertThat(count(Topics.AUDIT)).isEqualTo(auditBefore + 2));
		// audit is keyed by user, so partitions interleave: this test's refusal is the
		// only
		// one written since it was sent (other tests' refusals, e.g. anonymous 401s, came
		// before)
		assertThat(values(Topics.AUDIT)).filteredOn((e) -> e.outcome().startsWith("refused"))
			.filteredOn((e) -> !e.at().isBefore(sent))
			.singleElement()
			.satisfies((e) -> assertThat(e.user()).isEqualTo("alice"))
			.satisfies((e) -> assertThat(e.action()).isEqualTo("submit_job"))
			.satisfies((e) -> assertThat(e.outcome()).isEqualTo("refused: " + answer.statusCode()))
			.satisfies((e) -> assertThat(e.toString()).doesNotContain(ALICE));
	}

	@Test
	void shouldAnswerARetryWithTheSameIdempotencyKeyWithTheSameJob() throws Exception {
		String spec = "{\"workload\": \"command\", \"command\": \"echo once\"}";
		java.util.Map<String, String> key = java.util.Map.of("Idempotency-Key", freshId("key"));

		HttpResponse<String> first = call("POST", "/v1/jobs", ALICE, "application/json", spec, key);
		HttpResponse<String> retry = call("POST", "/v1/jobs", ALICE, "application/json", spec, key);
		HttpResponse<String> bobs = call("POST", "/v1/jobs", BOB, "application/json", spec, key);
		HttpResponse<String> otherSpec = call("POST", "/v1/jobs", ALICE, "application/json",
				spec.replace("once", "twice"), key);
		HttpResponse<String> badKey = call("POST", "/v1/jobs", ALICE, "application/json", spec,
				java.util.Map.of("Idempotency-Key", "with space"));

		assertThat(first.statusCode()).isEqualTo(202);
		String jobId = json(first).get("job_id").asString();
		assertThat(jobId).matches("rl-[a-z2-7]{12}");
		assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
		assertThat(json(retry).get("job_id").asString()).isEqualTo(jobId);
		assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(retry.headers().firstValue("Location")).hasValue("/v1/jobs/" + jobId);
		assertThat(records(Topics.JOB_COMMANDS)).filteredOn((r) -> jobId.equals(r.key())).hasSize(1);
		assertThat(bobs.statusCode()).isEqualTo(202);
		assertThat(json(bobs).get("job_id").asString()).as("keys are per user").isNotEqualTo(jobId);
		assertThat(otherSpec.statusCode()).isEqualTo(409);
		assertThat(json(otherSpec).get("error").asString()).isEqualTo("idempotency_key_reused");
		assertThat(badKey.statusCode()).isEqualTo(400);
		assertThat(json(badKey).get("field").asString()).isEqualTo("Idempotency-Key");
	}

	@Test
	void shouldListEveryValidatorErrorOfAnInvalidSpec() throws Exception {
		JsonNode problem = json(submit(ALICE, "application/json",
				"{\"workload\": \"command\", \"resources\": {\"n_gpus_per_node\": -1}, \"timeout\": \"soon\"}"));

		assertThat(problem.get("field").asString()).isEqualTo("command");
		assertThat(problem.get("errors").valueStream().map((e) -> e.get("field").asString()).toList())
			.containsExactly("command", "resources.n_gpus_per_node", "timeout");
	}

	@Test
	void shouldAnswer401WithoutOrWithAnUnknownToken() throws Exception {
		for (String token : new String[] { null, "not-a-token" }) {
			HttpResponse<String> answer = submit(token, "application/json",
					"{\"workload\": \"command\", \"command\": \"x\"}");

			assertThat(answer.statusCode()).isEqualTo(401);
			assertThat(answer.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((h) -> assertThat(h).startsWith("Bearer"));
			assertThat(json(answer).get("error").asString()).isIn("unauthenticated", "invalid_token");
			assertThat(get("/v1/jobs", token).statusCode()).isEqualTo(401);
		}
		// issue 12: refused requests are audited, without the token
		await()
			.untilAsserted(() -> assertThat(values(Topics.AUDIT)).filteredOn((e) -> e.outcome().equals("refused: 401"))
				.extracting(io.raylane.topics.events.AuditEvent::user)
				.contains("anonymous", "unknown-token"));
		assertThat(values(Topics.AUDIT)).allSatisfy((e) -> assertThat(e.toString()).doesNotContain("not-a-token"));
	}

	private SubmitJob submitted(String jobId) {
		List<JobCommand> commands = values(Topics.JOB_COMMANDS);
		return commands.stream()
			.filter((c) -> c instanceof SubmitJob && jobId.equals(c.jobId()))
			.map(SubmitJob.class::cast)
			.findFirst()
			.orElseThrow(() -> new AssertionError("no SubmitJob for " + jobId));
	}

}
