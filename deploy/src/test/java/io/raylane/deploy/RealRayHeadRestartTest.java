package io.raylane.deploy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.raylane.raycluster.RealRayCluster;
import io.raylane.raycluster.RealRayClusterSettings;
import io.raylane.topics.json.Json;
import io.raylane.topics.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 11 item 4 on a real Ray 2.60 head: the head restarts (a new GCS without fault
 * tolerance, which forgets every job) under two running jobs, and a third job is
 * submitted while it is down. The running jobs leave RUNNING, FAILED with the reason
 * {@code ray_lost_job}, within {@code raylane.observer.lost-job-grace} (20 s here) after
 * the head answers again, never before, and are never submitted again; the third job
 * waits ({@code ray_unavailable}) and runs exactly once when the head is back; the pool's
 * GPUs are all free at the end, and the worker's old Ray node id is no longer counted.
 * The cluster is this class's own (one worker with 4 GPUs): it restarts the head, which
 * the JVM's shared cluster must never see.
 * <p>
 * Then issue 16's {@code POST /v1/ops/restart_ray_head} on the same real cluster: the
 * head and the worker registered (the head of role head, with a per-node environment),
 * the node-agent restarts the head over SSH into its namespaces ({@code ray stop},
 * {@code ray start --head} with the node's environment) and re-provisions the worker,
 * which joins the new head; the running job ends with the restart's reason, and a new job
 * runs.
 */
@Isolated
@Tag("slow")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealRayHeadRestartTest {

	static final Duration GRACE = Duration.ofSeconds(20);

	static final Duration RAY_TIMEOUT = Duration.ofMinutes(3);

	@TempDir
	static Path root;

	static RealRayCluster cluster;

	static LocalStack stack;

	static RaylaneClient alice;

	static RaylaneClient admin;

	static RaylaneClient ray;

	@BeforeAll
	static void start() throws Exception {
		cluster = RealRayCluster.start(RealRayClusterSettings.defaults().withWorkers(1, 4));
		Map<String, Object> properties = new java.util.HashMap<>(Map.of("raylane.observer.lost-job-grace",
				GRACE.toSeconds() + "s",
				// the job submitted while the head is down is retried every few
				// seconds, so it starts soon after the head is back
				"raylane.scheduler.submit-retry-backoff", "2s", "raylane.scheduler.submit-retry-max-backoff", "5s"));
		properties.putAll(nodeAgentProperties());
		stack = LocalStack.start(LocalStackSettings.forTest(root)
			.withRayAddress(cluster.dashboardUrl())
			.withRayMetricsPort(cluster.metricsPort()), properties);
		Map<String, String> tokens = RaylaneClient.devTokens(stack.settings().dataDir());
		alice = new RaylaneClient(stack.apiUrl(), tokens.get("alice"));
		admin = alice.as(tokens.get("admin"));
		ray = new RaylaneClient(cluster.dashboardUrl(), null);
		alice.awaitHealthy();
	}

	@AfterAll
	static void stop() throws IOException {
		// the stack first: its observer polls the head until it is closed
		if (stack != null) {
			stack.close();
		}
		if (cluster != null) {
			cluster.close();
		}
	}

	/**
	 * The node-agent reaches the cluster's nodes as an operator's would: over SSH into
	 * each node's namespaces, with the venv's {@code ray} and the arguments cluster.sh
	 * gives each node beyond the node-agent's own (its pinned ports, temp dir, memory).
	 * Empty where the nodes have no sshd (the ops test then skips).
	 */
	static Map<String, Object> nodeAgentProperties() {
		if (!cluster.ssh()) {
			return Map.of();
		}
		java.util.Properties env = cluster.clusterEnv();
		String common = "--dashboard-agent-listen-port=52365,--dashboard-agent-grpc-port=6803,"
				+ "--node-manager-port=6800,--object-manager-port=6801,--runtime-env-agent-port=6802,"
				+ "--min-worker-port=10002,--max-worker-port=19999,--disable-usage-stats,--object-store-memory="
				+ env.getProperty("CLUSTER_OBJECT_STORE_BYTES");
		Path nodes = cluster.dir().resolve("nodes");
		return Map.of("raylane.ssh.key", cluster.sshKey().orElseThrow().toString(), "raylane.ssh.known-hosts",
				cluster.sshKnownHosts().orElseThrow().toString(), "raylane.node-agent.ray-command",
				cluster.rayBin().toString(), "raylane.node-agent.pool-args.head", common + ",--dashboard-port="
						+ env.getProperty("CLUSTER_DASHBOARD_PORT") + ",--temp-dir=" + nodes.resolve("head/ray"),
				"raylane.node-agent.pool-args.default",
				common + ",--num-cpus=" + env.getProperty("CLUSTER_WORKER_CPUS") + ",--temp-dir="
						+ nodes.resolve("w1/ray"),
				"raylane.node-agent.retry.max-retries", "2", "raylane.node-agent.retry.delay", "1s");
	}

	@Test
	@Order(1)
	void shouldEndTheJobsARestartedHeadForgotAndRunTheJobSubmittedMeanwhileOnce() throws Exception {
		String worker = cluster.worker(1).ip();
		String oldNodeId = cluster.aliveNodeId(worker).orElseThrow();
		Path marker = stack.settings().sharedRoot().resolve("common/head-restart-runs.txt");
		Files.createDirectories(marker.getParent());
		// 1. two jobs run on the worker (3 of its 4 GPUs)
		String first = alice.submitCommand("long-1", "sleep 600", 1, 2);
		String second = alice.submitCommand("long-2", "sleep 600", 1, 1);
		alice.awaitStatus(first, RAY_TIMEOUT, "RUNNING");
		alice.awaitStatus(second, RAY_TIMEOUT, "RUNNING");

		// 2. the head goes away; a job submitted now cannot reach Ray and waits
		cluster.stopNode("head");
		Instant headDown = Instant.now();
		String meanwhile = alice.submitCommand("meanwhile", "echo ran on $(hostname) >> " + marker, 1, 1);
		JsonNode waiting = await().atMost(RAY_TIMEOUT)
			.pollInterval(Duration.ofMillis(500))
			.until(() -> alice.job(meanwhile), (job) -> reasonCodes(job).contains("ray_unavailable"));
		assertThat(waiting.get("status").asString()).isEqualTo("DISPATCHED");
		// a head that does not answer has lost nothing yet, however long it is away
		holdUntil(headDown.plus(GRACE).plusSeconds(5));
		assertThat(List.of(status(first), status(second))).containsOnly("RUNNING");

		// 3. the head comes back with an empty job table (its dashboard may answer before
		// ray start returns); the worker joins it anew
		Instant headStarting = Instant.now();
		cluster.startNode("head");
		cluster.restartNode("w1");

		// 4. the running jobs end with the reason, within the grace (plus polls)
		JsonNode firstEnded = alice.awaitStatus(first, Duration.ofMinutes(2), "FAILED", "SUCCEEDED", "STOPPED");
		JsonNode secondEnded = alice.awaitStatus(second, Duration.ofMinutes(2), "FAILED", "SUCCEEDED", "STOPPED");
		for (JsonNode ended : List.of(firstEnded, secondEnded)) {
			assertThat(ended.get("status").asString()).as(ended.toString()).isEqualTo("FAILED");
			String reason = ended.get("reason").asString();
			assertThat(reason).as(ended.toString())
				.startsWith("ray_lost_job: Ray no longer knows this job (head restarted?); "
						+ "absent from Ray's job list since ");
			// missing from the new head's first answers on, ended a grace later, not
			// before
			Instant missingSince = Instant.parse(reason.substring(reason.lastIndexOf(' ') + 1));
			Instant endedAt = Instant.parse(ended.get("ended_at").asString());
			assertThat(missingSince).isAfter(headStarting);
			assertThat(endedAt).isAfterOrEqualTo(missingSince.plus(GRACE));
			System.out.println("RealRayHeadRestartTest: " + ended.get("job_id").asString() + " FAILED "
					+ Duration.between(missingSince, endedAt).toMillis()
					+ " ms after the restarted head's first answer ("
					+ Duration.between(headStarting, endedAt).toMillis() + " ms after ray start --head began; grace "
					+ GRACE + "); the head was down " + Duration.between(headDown, headStarting).toMillis() + " ms");
		}

		// 5. the job that never reached Ray runs once the head answers, exactly once
		JsonNode ran = alice.awaitStatus(meanwhile, RAY_TIMEOUT, "SUCCEEDED", "FAILED", "STOPPED");
		assertThat(ran.get("status").asString()).as(ran.toString()).isEqualTo("SUCCEEDED");
		assertThat(Files.readAllLines(marker)).containsExactly("ran on " + cluster.worker(1).hostname());
		// the new head has the resubmitted job only: the lost ones were never submitted
		// again
		HttpResponse<String> rayJobs = ray.get("/api/jobs/");
		assertThat(rayJobs.statusCode()).isEqualTo(200);
		assertThat(submissionIds(rayJobs.body())).doesNotContain(first, second)
			.filteredOn(meanwhile::equals)
			.hasSizeLessThanOrEqualTo(1);

		// 6. every GPU of the pool is free; the worker's old Ray node is not counted
		String newNodeId = cluster.aliveNodeId(worker).orElseThrow();
		assertThat(newNodeId).isNotEqualTo(oldNodeId);
		await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
			JsonNode nodes = Json.mapper().readTree(admin.get("/v1/nodes?pool=default").body()).get("nodes");
			assertThat(nodes).as(nodes.toString()).allSatisfy((n) -> {
				assertThat(n.get("gpus_allocated").asInt()).isZero();
				assertThat(n.get("jobs")).isEmpty();
			});
			assertThat(nodes).filteredOn((n) -> "ONLINE".equals(n.get("state").asString()))
				.extracting((n) -> n.get("node_id").asString())
				.containsExactly(newNodeId);
		});
		JsonNode queue = Json.mapper().readTree(alice.get("/v1/queue?pool=default").body());
		assertThat(queue.get("jobs")).isEmpty();
	}

	@Test
	@Order(2)
	void shouldRestartTheRealRayHeadThroughTheOpsApiOverSsh() throws Exception {
		Assumptions.assumeTrue(cluster.ssh(), "the Ray nodes have no sshd here (apt-get install openssh-server)");
		String user = cluster.sshUser().orElseThrow();
		String workerIp = cluster.worker(1).ip();
		// 1. the head (role head, with its own environment), then the worker, registered:
		// registering provisions each, the head first, so the worker joins the head the
		// node-agent started
		HttpResponse<String> head = admin.post("/v1/nodes", "application/json",
				"{\"node_id\":\"ray-head\",\"host\":\"" + cluster.headIp() + "\",\"port\":22,\"user\":\"" + user
						+ "\",\"pool\":\"head\",\"gpus\":0,\"role\":\"head\",\"env\":{\"RAYLANE_SITE\":\"rack a\"}}");
		assertThat(head.statusCode()).as(head.body()).isEqualTo(202);
		awaitNodeState("ray-head", "ONLINE");
		HttpResponse<String> worker = admin.post("/v1/nodes", "application/json", "{\"node_id\":\"w1\",\"host\":\""
				+ workerIp + "\",\"port\":22,\"user\":\"" + user + "\",\"pool\":\"default\",\"gpus\":4}");
		assertThat(worker.statusCode()).as(worker.body()).isEqualTo(202);
		awaitNodeState("w1", "ONLINE");
		String job = alice.submitCommand("before-restart", "sleep 600", 1, 1);
		alice.awaitStatus(job, RAY_TIMEOUT, "RUNNING");
		String workerBefore = cluster.aliveNodeId(workerIp).orElseThrow();
		String headBefore = headNodeId();

		// 2. refused while the job runs, naming it; the dry run changes nothing
		HttpResponse<String> refused = admin.post("/v1/ops/restart_ray_head", "application/json", "{}");
		assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
		assertThat(refused.body()).contains(job);
		HttpResponse<String> dry = admin.post("/v1/ops/restart_ray_head", "application/json",
				"{\"force\":true,\"dry_run\":true}");
		assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
		assertThat(dry.body()).contains("\"job_id\":\"" + job + "\"").contains("\"node_id\":\"w1\"");
		assertThat(status(job)).isEqualTo("RUNNING");
		assertThat(headNodeId()).isEqualTo(headBefore);

		// 3. forced: a new head (a new GCS), the worker re-provisioned into it
		HttpResponse<String> forced = admin.post("/v1/ops/restart_ray_head", "application/json", "{\"force\":true}");
		assertThat(forced.statusCode()).as(forced.body()).isEqualTo(202);
		String operation = Json.mapper().readTree(forced.body()).get("operation_id").asString();
		JsonNode outcome = await("operation " + operation).atMost(RAY_TIMEOUT)
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> Json.mapper().readTree(admin.get("/v1/ops/operations/" + operation).body()),
					(o) -> !"running".equals(o.path("status").asString()));
		assertThat(outcome.get("status").asString()).as(outcome.toString()).isEqualTo("succeeded");
		assertThat(outcome.get("workers").toString()).contains("\"node_id\":\"w1\"").contains("\"started\":true");
		String workerAfter = await().atMost(RAY_TIMEOUT)
			.until(() -> cluster.aliveNodeId(workerIp).orElse(null), (id) -> id != null && !id.equals(workerBefore));
		assertThat(headNodeId()).isNotEqualTo(headBefore);
		// the head's own environment reached the new head's processes
		assertThat(cluster
			.exec("head", "sh", "-c",
					"tr '\\0' '\\n' < /proc/$(pgrep -f gcs_server | head -1)/environ | grep RAYLANE_SITE")
			.output()).contains("RAYLANE_SITE=rack a");

		// 4. the running job ended with the restart's reason; a new job runs
		JsonNode ended = alice.awaitStatus(job, RAY_TIMEOUT, "STOPPED", "FAILED", "SUCCEEDED");
		assertThat(ended.get("reason").asString()).as(ended.toString()).contains(operation);
		String after = alice.submitCommand("after-restart", "echo after", 1, 1);
		assertThat(alice.awaitStatus(after, RAY_TIMEOUT, "SUCCEEDED", "FAILED", "STOPPED").get("status").asString())
			.isEqualTo("SUCCEEDED");
		awaitNodeState("w1", "ONLINE");
		System.out.println("RealRayHeadRestartTest: ops restart " + operation + " -> " + outcome + "; job " + job + " "
				+ ended.get("status").asString() + " (" + ended.get("reason").asString() + "); worker " + workerBefore
				+ " -> " + workerAfter);

		// 5. the three calls audited
		await().atMost(Duration.ofMinutes(1))
			.untilAsserted(() -> assertThat(KafkaProbe.readAll(stack.bootstrapServers(), Topics.AUDIT.name())
				.stream()
				.map(String::new)
				.filter((a) -> a.contains("\"restart_ray_head\""))
				.toList()).anySatisfy((a) -> assertThat(a).contains("refused"))
				.anySatisfy((a) -> assertThat(a).contains("dry_run"))
				.anySatisfy((a) -> assertThat(a).contains("accepted " + operation)));
	}

	/** The Ray node id of the cluster's head as Ray lists it ALIVE. */
	static String headNodeId() {
		return cluster.aliveNodeId(cluster.headIp()).orElse(null);
	}

	static JsonNode awaitNodeState(String id, String state) {
		return await(id + " " + state).atMost(RAY_TIMEOUT)
			.pollInterval(Duration.ofMillis(500))
			.until(() -> Json.mapper().readTree(admin.get("/v1/nodes/" + id).body()),
					(n) -> state.equals(n.path("state").asString()));
	}

	static String status(String id) {
		return alice.job(id).get("status").asString();
	}

	static List<String> reasonCodes(JsonNode job) {
		List<String> codes = new ArrayList<>();
		JsonNode reasons = job.get("reasons");
		if (reasons != null && reasons.isArray()) {
			reasons.forEach((r) -> codes.add(r.get("code").asString()));
		}
		return codes;
	}

	static List<String> submissionIds(String body) {
		List<String> ids = new ArrayList<>();
		Json.mapper().readTree(body).forEach((job) -> ids.add(job.path("submission_id").asString()));
		return ids;
	}

	/** Lets time pass on purpose: the head stays down at least this long. */
	static void holdUntil(Instant until) throws InterruptedException {
		long millis = Duration.between(Instant.now(), until).toMillis();
		if (millis > 0) {
			Thread.sleep(millis);
		}
	}

}
