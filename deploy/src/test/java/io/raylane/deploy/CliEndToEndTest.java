package io.raylane.deploy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.StreamSupport;

import io.raylane.cli.Context;
import io.raylane.cli.ExitCodes;
import io.raylane.cli.RaylaneCli;
import io.raylane.topics.json.Json;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15: the {@code raylane} CLI as a new user drives it, in-process against the
 * all-in-one stack (embedded KRaft broker, every service, the local Ray-compatible head
 * with two 4-GPU workers): login, submit --follow (a job that succeeds and one that
 * fails), jobs, job, queue, logs -f, stop, usage, nodes and their admin actions, and the
 * one-line error of a refused request.
 */
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliEndToEndTest {

	@TempDir
	static Path root;

	@AutoClose
	static LocalStack stack;

	static Map<String, String> tokens;

	static RaylaneClient anonymous;

	@BeforeAll
	static void startStack() throws Exception {
		stack = LocalStack.start(LocalStackSettings.forTest(root));
		tokens = RaylaneClient.devTokens(stack.settings().dataDir());
		anonymous = new RaylaneClient(stack.apiUrl(), null);
		await().atMost(Duration.ofSeconds(60)).until(() -> anonymous.get("/actuator/health").statusCode() == 200);
		Run login = cli("login", "--url", stack.apiUrl(), "--token", tokens.get("alice"));
		assertThat(login.code()).as(login.err()).isZero();
	}

	@Test
	@Order(1)
	void shouldKeepTheLoginInAnOwnerOnlyFile() throws Exception {
		Path config = root.resolve("home/.config/raylane/config.yaml");

		assertThat(config).content().contains(stack.apiUrl()).contains(tokens.get("alice"));
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
	}

	@Test
	@Order(2)
	void shouldFollowAJobToItsSuccessWithABarAndTheLogTail() throws Exception {
		Path spec = Files.writeString(root.resolve("hello.yaml"), """
				name: hello
				workload: command
				command: echo hello from the cli
				pool: default
				resources: {nnodes: 1, n_gpus_per_node: 0}
				timeout: 10m
				""");

		Run run = cli("submit", spec.toString(), "--follow", "--interval", "0.2");

		assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.OK);
		String id = run.out().lines().findFirst().orElseThrow();
		assertThat(id).startsWith("rl-");
		assertThat(run.out()).contains("[##############################]  SUCCEEDED")
			.contains("--- driver log, last 20 lines ---")
			.contains("hello from the cli");

		// jobs --output json holds the job; job shows it
		Run jobs = cli("jobs", "--output", "json");
		assertThat(jobs.code()).isZero();
		JsonNode listed = Json.mapper().readTree(jobs.out());
		assertThat(StreamSupport.stream(listed.get("jobs").spliterator(), false)
			.map((job) -> job.get("job_id").asString())).contains(id);
		Run job = cli("job", id);
		assertThat(job.out()).contains("job: " + id).contains("status: SUCCEEDED").contains("exit code: 0");
	}

	@Test
	@Order(3)
	void shouldExitNonZeroWhenTheFollowedJobFails() throws Exception {
		Path spec = Files.writeString(root.resolve("fail.yaml"), """
				name: failing
				workload: command
				command: echo about to fail; exit 3
				resources: {nnodes: 1, n_gpus_per_node: 0}
				""");

		Run run = cli("submit", spec.toString(), "--follow", "--interval", "0.2");

		assertThat(run.code()).isEqualTo(ExitCodes.JOB_NOT_SUCCEEDED);
		assertThat(run.out()).contains("FAILED").contains("about to fail");
		assertThat(run.err()).startsWith("raylane: job rl-").contains("ended FAILED");
	}

	@Test
	@Order(4)
	void shouldFollowALogUntilTheJobEnds() throws Exception {
		Path spec = Files.writeString(root.resolve("ticks.yaml"), """
				name: ticks
				workload: command
				command: for i in 1 2 3; do echo tick $i; sleep 1; done
				resources: {nnodes: 1, n_gpus_per_node: 0}
				""");
		String id = cli("submit", spec.toString()).out().strip();

		Run logs = cli("logs", id, "-f");

		assertThat(logs.code()).as(logs.err()).isZero();
		assertThat(logs.out()).contains("tick 1\n", "tick 2\n", "tick 3\n");
		// the stream ended because the job did, not at a bound
		assertThat(logs.err()).isEmpty();
		assertThat(cli("job", id).out()).contains("status: SUCCEEDED");
		assertThat(cli("logs", id).out()).contains("tick 3");
	}

	@Test
	@Order(5)
	void shouldShowWhyAJobWaitsAndStopIt() throws Exception {
		Path whole = Files.writeString(root.resolve("whole-pool.yaml"), """
				name: whole-pool
				workload: command
				command: sleep 600
				resources: {nnodes: 2, n_gpus_per_node: 4}
				""");
		Path waiting = Files.writeString(root.resolve("waiting.yaml"), """
				name: waiting
				workload: command
				command: echo never
				resources: {nnodes: 1, n_gpus_per_node: 4}
				""");
		String running = cli("submit", whole.toString()).out().strip();
		await().atMost(Duration.ofSeconds(60)).until(() -> cli("job", running).out().contains("status: RUNNING"));
		String queued = cli("submit", waiting.toString()).out().strip();
		await().atMost(Duration.ofSeconds(60)).until(() -> cli("job", queued).out().contains("status: QUEUED"));

		Run queue = cli("queue", "--pool", "default");
		assertThat(queue.code()).isZero();
		assertThat(queue.out()).contains("pool default: 1 waiting").contains(queued);
		JsonNode json = Json.mapper().readTree(cli("queue", "--output", "json").out());
		assertThat(json.get("jobs").get(0).get("position").asInt()).isEqualTo(1);
		assertThat(json.get("jobs").get(0).get("reasons")).isNotEmpty();

		assertThat(cli("stop", queued).out()).isEqualTo(queued + ": STOP_REQUESTED\n");
		assertThat(cli("stop", running).out()).isEqualTo(running + ": STOP_REQUESTED\n");
		await().atMost(Duration.ofSeconds(30)).until(() -> cli("job", running).out().contains("status: STOPPED"));
		assertThat(cli("job", queued).out()).contains("status: STOPPED");
	}

	@Test
	@Order(6)
	void shouldSumUsage() throws Exception {
		Run usage = cli("usage", "--group-by", "job");
		Run json = cli("usage", "--output", "json");

		assertThat(usage.code()).as(usage.err()).isZero();
		assertThat(usage.out()).contains("JOB").contains("TOTAL");
		assertThat(Json.mapper().readTree(json.out()).get("group_by").asString()).isEqualTo("user");
	}

	@Test
	@Order(7)
	void shouldListNodesAndTakeTheAdminActionsAsAnAdminOnly() throws Exception {
		Run refused = cli("nodes");
		assertThat(refused.code()).isEqualTo(ExitCodes.REFUSED);
		assertThat(refused.err().lines()).singleElement().asString().startsWith("raylane: HTTP 403 forbidden");

		Map<String, String> admin = Map.of("RAYLANE_TOKEN", tokens.get("admin"));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> cliWith(admin, "nodes").out().contains("127.0.0.2")
					&& cliWith(admin, "nodes").out().contains("127.0.0.3"));
		// the local workers are Ray's own, not the fleet's: the admin actions go to a
		// registered node
		// (nothing listens for SSH at 127.0.0.9, so it never comes online; each action is
		// still taken)
		assertThat(
				cliWith(admin, "nodes", "add", "cli-node", "--host", "127.0.0.9", "--user", "ray", "--gpus", "1").out())
			.isEqualTo("cli-node: register requested (state REGISTERED)\n");
		assertThat(cliWith(admin, "nodes", "show", "cli-node").out()).contains("node id: cli-node")
			.contains("host: 127.0.0.9");
		JsonNode nodes = Json.mapper().readTree(cliWith(admin, "nodes", "--output", "json").out());
		assertThat(StreamSupport.stream(nodes.get("nodes").spliterator(), false)
			.map((node) -> node.get("node_id").asString())).contains("cli-node");
		assertThat(cliWith(admin, "nodes", "drain", "cli-node", "--timeout", "1m").out())
			.startsWith("cli-node: drain requested");
		assertThat(cliWith(admin, "nodes", "undrain", "cli-node").out()).startsWith("cli-node: undrain requested");
		assertThat(cliWith(admin, "nodes", "decommission", "cli-node").out())
			.startsWith("cli-node: decommission requested");
		Run drainUnknown = cliWith(admin, "nodes", "drain", "no-such-node");
		assertThat(drainUnknown.code()).isEqualTo(ExitCodes.REFUSED);
		assertThat(drainUnknown.err()).startsWith("raylane: HTTP 404 node_not_found");
		Run add = cliWith(admin, "nodes", "add", "Bad_Id", "--host", "127.0.0.9");
		assertThat(add.code()).isEqualTo(ExitCodes.REFUSED);
		assertThat(add.err()).startsWith("raylane: HTTP 400 invalid_node_spec: field node_id");
	}

	@Test
	@Order(8)
	void shouldRefuseAnInvalidSpecInOneLineNamingTheField() throws Exception {
		Path spec = Files.writeString(root.resolve("bad.yaml"), """
				workload: command
				command: echo x
				resources: {nnodes: 1, n_gpus_per_node: 99}
				""");

		Run run = cli("submit", spec.toString());

		assertThat(run.code()).isEqualTo(ExitCodes.REFUSED);
		assertThat(run.out()).isEmpty();
		assertThat(run.err().lines()).singleElement()
			.asString()
			.startsWith("raylane: HTTP 400 invalid_jobspec: field resources.n_gpus_per_node");
	}

	record Run(int code, String out, String err) {
	}

	static Run cli(String... args) {
		return cliWith(Map.of(), args);
	}

	/** The CLI in this JVM, with its config under the test's home and these variables. */
	static Run cliWith(Map<String, String> env, String... args) {
		Map<String, String> all = new HashMap<>(env);
		all.putIfAbsent("RAYLANE_CONFIG", root.resolve("home/.config/raylane/config.yaml").toString());
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int code = RaylaneCli.run(args,
				new Context(all, root.resolve("home"), new PrintWriter(out, true), new PrintWriter(err, true), false));
		return new Run(code, out.toString(), err.toString());
	}

}
