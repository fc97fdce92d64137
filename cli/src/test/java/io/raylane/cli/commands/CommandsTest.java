package io.raylane.cli.commands;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.raylane.cli.ExitCodes;
import io.raylane.cli.ScriptedApi;
import io.raylane.cli.ScriptedApi.Answer;
import io.raylane.cli.ScriptedApi.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each command against a scripted API on 127.0.0.1: the calls it makes and what it
 * prints. (deploy's CliEndToEndTest drives the same commands against the real stack.)
 */
class CommandsTest {

	private static final String RUNNING = "{\"job_id\": \"rl-1\", \"status\": \"RUNNING\", "
			+ "\"progress\": {\"step\": 1, \"total_steps\": 4}}";

	@TempDir
	Path home;

	private ScriptedApi api;

	@BeforeEach
	void start() throws Exception {
		this.api = new ScriptedApi();
	}

	@AfterEach
	void stop() {
		this.api.close();
	}

	@Test
	void shouldSubmitAYamlFileAndPrintTheJobId() throws Exception {
		Path spec = Files.writeString(this.home.resolve("job.yaml"), "workload: command\ncommand: echo hi\n");
		this.api.on("POST /v1/jobs", Answer.json(202, "{\"job_id\": \"rl-1\", \"status\": \"ACCEPTED\"}"));

		Run run = this.api.run(this.home, "submit", spec.toString());

		assertThat(run.exitCode()).isZero();
		assertThat(run.out()).isEqualTo("rl-1\n");
		ScriptedApi.Request sent = this.api.requests().get(0);
		assertThat(sent.contentType()).isEqualTo("application/yaml");
		assertThat(sent.authorization()).isEqualTo("Bearer test-token");
		assertThat(sent.body()).contains("echo hi");
	}

	@Test
	void shouldFollowAJobWithABarThenItsLogTailAndExitZeroWhenItSucceeded() throws Exception {
		Path spec = Files.writeString(this.home.resolve("job.json"), "{\"workload\": \"command\"}");
		this.api.on("POST /v1/jobs", Answer.json(202, "{\"job_id\": \"rl-1\", \"status\": \"ACCEPTED\"}"))
			.on("GET /v1/jobs/rl-1", Answer.json(200, "{\"job_id\": \"rl-1\", \"status\": \"QUEUED\"}"),
					Answer.json(200, RUNNING), Answer.json(200, RUNNING),
					Answer.json(200,
							"{\"job_id\": \"rl-1\", \"status\": \"SUCCEEDED\", "
									+ "\"progress\": {\"step\": 4, \"total_steps\": 4}}"))
			.on("GET /v1/jobs/rl-1/logs", Answer.json(200, "{\"job_id\": \"rl-1\", \"logs\": \"a\\nb\\nc\\n\"}"));

		Run run = this.api.run(this.home, "submit", spec.toString(), "--follow", "--interval", "0.05", "--tail", "2");

		assertThat(run.exitCode()).isZero();
		assertThat(run.out().lines()).containsExactly("rl-1", "[..............................]  QUEUED",
				"[#######.......................]  1/4   25%  RUNNING",
				"[##############################]  4/4  100%  SUCCEEDED", "--- driver log, last 2 lines ---", "b", "c");
		assertThat(this.api.requests().get(0).contentType()).isEqualTo("application/json");
	}

	@Test
	void shouldExitNonZeroWhenTheFollowedJobFailed() throws Exception {
		Path spec = Files.writeString(this.home.resolve("job.yaml"), "workload: command\n");
		this.api.on("POST /v1/jobs", Answer.json(202, "{\"job_id\": \"rl-2\", \"status\": \"ACCEPTED\"}"))
			.on("GET /v1/jobs/rl-2",
					Answer.json(200, "{\"job_id\": \"rl-2\", \"status\": \"FAILED\", \"reason\": \"exit code 3\"}"))
			.on("GET /v1/jobs/rl-2/logs", Answer.json(200, "{\"job_id\": \"rl-2\", \"logs\": \"boom\\n\"}"));

		Run run = this.api.run(this.home, "submit", spec.toString(), "-f", "--interval", "0.05");

		assertThat(run.exitCode()).isEqualTo(ExitCodes.JOB_NOT_SUCCEEDED);
		assertThat(run.out()).contains("FAILED").endsWith("boom\n");
		assertThat(run.err()).isEqualTo("raylane: job rl-2 ended FAILED: exit code 3\n");
	}

	@Test
	void shouldPrintARefusalInOneLineNamingTheField() throws Exception {
		Path spec = Files.writeString(this.home.resolve("job.yaml"), "resources: {n_gpus_per_node: 99}\n");
		this.api.on("POST /v1/jobs", Answer.json(400, "{\"error\": \"invalid_jobspec\", \"field\": "
				+ "\"resources.n_gpus_per_node\", \"detail\": \"must be between 0 and 64\"}"));

		Run run = this.api.run(this.home, "submit", spec.toString());

		assertThat(run.exitCode()).isEqualTo(ExitCodes.REFUSED);
		assertThat(run.out()).isEmpty();
		assertThat(run.err()).isEqualTo(
				"raylane: HTTP 400 invalid_jobspec: field resources.n_gpus_per_node: must be between 0 and 64\n");
	}

	@Test
	void shouldNameTheUrlWhenNothingListens() throws Exception {
		int closed;
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			closed = socket.getLocalPort();
		}
		Run run = Run.of(Map.of("RAYLANE_URL", "http://127.0.0.1:" + closed, "RAYLANE_TOKEN", "t"), this.home, "jobs");

		assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
		assertThat(run.err().lines()).singleElement()
			.asString()
			.startsWith("raylane: cannot connect to the Raylane API at http://127.0.0.1:" + closed);
	}

	@Test
	void shouldLogInOnlyWithATokenTheApiAccepts() {
		this.api.on("GET /v1/jobs?limit=1", Answer.json(200, "{\"jobs\": [], \"next_page_token\": null}"));
		Path config = this.home.resolve("cfg/config.yaml");

		Run run = Run.of(Map.of("RAYLANE_CONFIG", config.toString()), this.home, "login", "--url", this.api.url(),
				"--token", "alice-token");

		assertThat(run.exitCode()).isZero();
		assertThat(config).content().contains(this.api.url()).contains("alice-token");
		assertThat(this.api.requests().get(0).authorization()).isEqualTo("Bearer alice-token");

		this.api.on("GET /v1/jobs?limit=1", Answer.json(401, "{\"error\": \"unauthorized\", \"field\": null, "
				+ "\"detail\": \"a valid bearer token is required\"}"));
		Run refused = Run.of(Map.of("RAYLANE_CONFIG", config.toString()), this.home, "login", "--url", this.api.url(),
				"--token", "wrong");
		assertThat(refused.exitCode()).isEqualTo(ExitCodes.REFUSED);
		assertThat(config).content().contains("alice-token").doesNotContain("wrong");
	}

	@Test
	void shouldFollowEveryPageOfJobsWithAll() {
		this.api
			.on("GET /v1/jobs?limit=100",
					Answer.json(200, "{\"jobs\": [{\"job_id\": \"rl-2\"}], \"next_page_token\": \"p2\"}"))
			.on("GET /v1/jobs?limit=100&page_token=p2",
					Answer.json(200, "{\"jobs\": [{\"job_id\": \"rl-1\"}], \"next_page_token\": null}"));

		Run all = this.api.run(this.home, "jobs", "--all", "-o", "json");
		Run first = this.api.run(this.home, "jobs");

		assertThat(all.out())
			.isEqualTo("{\"jobs\":[{\"job_id\":\"rl-2\"},{\"job_id\":\"rl-1\"}],\"next_page_token\":null}\n");
		assertThat(first.out()).contains("rl-2").doesNotContain("rl-1");
		assertThat(first.err()).contains("raylane jobs --all");
	}

	@Test
	void shouldShowOneJobAndItsLog() {
		this.api.on("GET /v1/jobs/rl-1", Answer.json(200, RUNNING))
			.on("GET /v1/jobs/rl-1/logs", Answer.json(200, "{\"job_id\": \"rl-1\", \"logs\": \"line\\n\"}"));

		assertThat(this.api.run(this.home, "job", "rl-1").out()).contains("status: RUNNING")
			.contains("progress: [#######");
		assertThat(this.api.run(this.home, "job", "rl-1", "--output", "json").out()).isEqualTo(RUNNING + "\n");
		assertThat(this.api.run(this.home, "logs", "rl-1").out()).isEqualTo("line\n");
	}

	@Test
	void shouldCopyAFollowedLogAsItStreams() {
		this.api.on("GET /v1/jobs/rl-1/logs?follow=true", new Answer(200, "text/plain", "one\ntwo\n"))
			.on("GET /v1/jobs/rl-1", Answer.json(200, "{\"job_id\": \"rl-1\", \"status\": \"RUNNING\"}"));

		Run run = this.api.run(this.home, "logs", "rl-1", "-f");

		assertThat(run.exitCode()).isZero();
		assertThat(run.out()).isEqualTo("one\ntwo\n");
		// the stream ended while the job still runs: the API's bound, said on stderr
		assertThat(run.err()).contains("run raylane logs -f rl-1 again");
	}

	@Test
	void shouldStopAJobAndSayWhenItHadEnded() {
		this.api.on("POST /v1/jobs/rl-1:stop",
				Answer.json(202, "{\"job_id\": \"rl-1\", \"status\": \"STOP_REQUESTED\"}"),
				Answer.json(200, "{\"job_id\": \"rl-1\", \"status\": \"STOPPED\", "
						+ "\"detail\": \"job already ended; nothing to stop\"}"));

		assertThat(this.api.run(this.home, "stop", "rl-1").out()).isEqualTo("rl-1: STOP_REQUESTED\n");
		assertThat(this.api.run(this.home, "stop", "rl-1").out())
			.isEqualTo("rl-1: STOPPED (job already ended; nothing to stop)\n");
	}

	@Test
	void shouldAskForTheQueueOfAPoolAndUsageOfAWindow() {
		this.api
			.on("GET /v1/queue?pool=a100&limit=1000", Answer.json(200, "{\"pool\": \"a100\", \"jobs\": [{\"job_id\": "
					+ "\"rl-5\", \"position\": 1, \"reasons\": [{\"code\": \"insufficient_gpus\", \"detail\": \"x\"}]}], "
					+ "\"next_page_token\": null}"))
			.on("GET /v1/usage?group_by=job&from=2026-11-01",
					Answer.json(200, "{\"group_by\": \"job\", \"groups\": [], \"total_gpu_hours\": 0.0}"));

		assertThat(this.api.run(this.home, "queue", "--pool", "a100").out()).contains("pool a100: 1 waiting")
			.contains("insufficient_gpus (x)");
		assertThat(this.api.run(this.home, "usage", "--group-by", "job", "--from", "2026-11-01").out())
			.contains("JOB    GPU-HOURS")
			.contains("TOTAL  0.000");
	}

	@Test
	void shouldSendEachNodeActionToItsRoute() {
		String ack = "{\"node_id\": \"gpu-01\", \"requested\": \"%s\", \"state\": \"ONLINE\"}";
		this.api.on("GET /v1/nodes?limit=1000", Answer.json(200, "{\"nodes\": [{\"node_id\": \"gpu-01\", "
				+ "\"state\": \"ONLINE\", \"gpus\": 4, \"gpus_allocated\": 0, \"jobs\": []}], \"next_page_token\": null}"))
			.on("POST /v1/nodes", Answer.json(202, String.format(ack, "register")))
			.on("POST /v1/nodes/gpu-01:drain", Answer.json(202, String.format(ack, "drain")))
			.on("POST /v1/nodes/gpu-01:undrain", Answer.json(202, String.format(ack, "undrain")))
			.on("DELETE /v1/nodes/gpu-01", Answer.json(202, String.format(ack, "decommission")));

		assertThat(this.api.run(this.home, "nodes").out()).contains("gpu-01").contains("0/4");
		assertThat(
				this.api.run(this.home, "nodes", "add", "gpu-01", "--host", "127.0.0.2", "--user", "ray", "--gpus", "4")
					.out())
			.isEqualTo("gpu-01: register requested (state ONLINE)\n");
		assertThat(this.api.run(this.home, "nodes", "drain", "gpu-01", "--timeout", "2h").out()).contains("drain");
		assertThat(this.api.run(this.home, "nodes", "undrain", "gpu-01").out()).contains("undrain");
		assertThat(this.api.run(this.home, "nodes", "decommission", "gpu-01").out()).contains("decommission");

		assertThat(this.api.requests()).filteredOn((r) -> r.uri().equals("/v1/nodes") && r.method().equals("POST"))
			.singleElement()
			.satisfies((r) -> assertThat(r.body())
				.isEqualTo("{\"node_id\":\"gpu-01\",\"host\":\"127.0.0.2\",\"user\":\"ray\",\"gpus\":4}"));
		assertThat(this.api.requests()).filteredOn((r) -> r.uri().endsWith(":drain"))
			.singleElement()
			.satisfies((r) -> assertThat(r.body()).isEqualTo("{\"timeout\":\"2h\"}"));
	}

	@Test
	void shouldSayHowToLogInWithoutAnEndpoint() {
		Run run = Run.of(Map.of("RAYLANE_CONFIG", this.home.resolve("none.yaml").toString()), this.home, "jobs");

		assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_LOGGED_IN);
		assertThat(run.err()).startsWith("raylane: not logged in").contains("raylane login --url");
	}

}
