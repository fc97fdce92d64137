package io.raylane.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.raylane.jobspec.workload.ShellQuote;
import io.raylane.rayclient.RayHttp;
import io.raylane.raycluster.RealRayCluster;
import io.raylane.raycluster.RealRayClusterSettings;
import io.raylane.submitter.dispatch.DispatchHandler;
import io.raylane.submitter.jobdir.JobDirectories;
import io.raylane.submitter.ray.HttpRayJobsClient;
import io.raylane.topics.events.SubmitToRay;
import io.raylane.topics.events.Submitted;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.Resources;
import io.raylane.topics.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Placement that Ray obeys (issue 14 items 1 and 4), on a real Ray 2.60 cluster of three
 * workers with 4 logical GPUs each: w1 and w2 in pool {@code a}, w3 in pool {@code b},
 * every worker labelled as the node-agent labels it ({@code raylane.io/node},
 * {@code raylane.io/pool}). Jobs go to Ray through the submitter's own code
 * ({@link DispatchHandler}: job directory with the placement shim, then
 * {@code POST /api/jobs/}), as the scheduler dispatches them, with the nodes it reserved;
 * their workload is a fixture that makes placement groups exactly as verl 0.9.1's
 * resource pool does ({@code fixtures/placement/verl_resource_pool_fixture.py}) and knows
 * nothing of Raylane. Where Ray put everything is read from Ray's State API. The first
 * test dispatches without a spec (the shim holds the jobs to their nodes only), the
 * second with one (the shim also holds each to the GPUs reserved per node).
 */
@Isolated
@Tag("slow")
class RealRayPlacementTest {

	static final Duration JOB_TIMEOUT = Duration.ofSeconds(240);

	@TempDir
	static Path root;

	static RealRayCluster cluster;

	static RaylaneClient ray;

	static DispatchHandler submitter;

	static Path fixture;

	static Path python;

	@BeforeAll
	static void start() throws IOException {
		// 16 logical CPUs per worker: verl's bundles are {"CPU": 3, "GPU": 1}
		cluster = RealRayCluster
			.start(new RealRayClusterSettings(3, 4, 16, List.of("a", "a", "b"), false, null, Map.of()));
		ray = new RaylaneClient(cluster.dashboardUrl(), null);
		Path shared = Files.createDirectories(root.resolve("shared"));
		RetryTemplate retry = new RetryTemplate(RetryPolicy.builder()
			.includes(HttpRayJobsClient.retryableFailures())
			.maxRetries(2)
			.delay(Duration.ofMillis(200))
			.build());
		HttpRayJobsClient client = new HttpRayJobsClient(RayHttp.restClient(RestClient.builder(),
				cluster.dashboardUrl(), Duration.ofSeconds(5), Duration.ofSeconds(30)), retry);
		submitter = new DispatchHandler(new JobDirectories(shared, cluster.dashboardUrl()), client, Clock.systemUTC());
		fixture = shared.resolve("verl_resource_pool_fixture.py");
		try (InputStream in = RealRayPlacementTest.class
			.getResourceAsStream("/fixtures/placement/verl_resource_pool_fixture.py")) {
			Files.write(fixture, in.readAllBytes());
		}
		python = cluster.rayBin().resolveSibling("python");
	}

	@AfterAll
	static void stop() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@Test
	void shouldKeepEveryBundleOnTheReservedNodesAndEveryPoolOnItsOwn() throws IOException {
		String w1 = rayNodeId(1);
		String w2 = rayNodeId(2);
		String w3 = rayNodeId(3);
		assertThat(cluster.nodes()).filteredOn((n) -> n.nodeId().equals(w1))
			.singleElement()
			.satisfies((n) -> assertThat(n.labels()).containsEntry("raylane.io/node", "w1")
				.containsEntry("raylane.io/pool", "a")
				.containsEntry("ray.io/node-id", w1));

		// 1. a 2-node gang in pool a, reserved w1 and w2 as registered nodes (Raylane
		// ids), 3 of 4 GPUs per node, verl's way; it also starts a GPU actor outside any
		// group and misbehaves: one more group of 2 GPUs, which no reserved node has left
		// while w3 has 4 free
		Path release = root.resolve("release");
		String gang = submit("gang-1", "a", List.of("w1", "w2"), "--nnodes", "2", "--gpus-per-node", "3", "--gpu-actor",
				"--extra-pg-gpus", "2", "--release", release.toString());
		JsonNode gangReport = awaitReport(gang);
		assertThat(gangReport.get("shim").asBoolean()).as("the shim is active in the driver").isTrue();
		assertThat(gangReport.get("driver_node").asString()).as("the driver runs on a reserved node").isIn(w1, w2);
		assertThat(gangReport.get("gpu_actor_node").asString()).as("the GPU actor without a group too").isIn(w1, w2);

		List<JsonNode> gangGroups = groups("gang-1verl_group_3_3:");
		assertThat(gangGroups).hasSize(2).allSatisfy((g) -> assertThat(g.get("state").asString()).isEqualTo("CREATED"));
		Set<String> gangNodes = bundleNodes(gangGroups);
		assertThat(gangNodes).as("every bundle on the two reserved nodes, one verl group per node")
			.containsExactlyInAnyOrder(w1, w2);
		assertThat(bundleCount(gangGroups)).isEqualTo(6);
		for (JsonNode group : gangGroups) {
			for (JsonNode bundle : group.get("bundles")) {
				assertThat(bundle.get("label_selector").get("raylane.io/node").asString())
					.as("the selector the shim added")
					.isEqualTo("in(w1,w2)");
			}
		}

		// 2. the misbehaving group waits, visibly, instead of taking w3's free GPUs: Ray
		// has tried to place it, more than once, and found no reserved node with room
		JsonNode extra = await().atMost(JOB_TIMEOUT)
			.pollInterval(Duration.ofMillis(500))
			.until(() -> groups("gang-1extra").get(0), (g) -> g.get("stats").get("scheduling_attempt").asInt() >= 2
					|| !g.get("state").asString().equals("PENDING"));
		assertThat(extra.get("state").asString()).as("asked beyond the reservation: %s", extra).isEqualTo("PENDING");
		assertThat(extra.get("stats").get("scheduling_state").asString()).as("%s", extra).isEqualTo("NO_RESOURCES");
		// Ray 2.60 writes "" for a bundle not placed yet
		JsonNode extraNode = extra.get("bundles").get(0).get("node_id");
		assertThat(extraNode == null || extraNode.isNull() || extraNode.asString().isEmpty())
			.as("placed nowhere: %s", extra)
			.isTrue();
		assertThat(actorNodes(gangReport)).doesNotContain(w3);

		// 3. a job of pool b, reserved w3 as a node learned from Ray (its hex id): only
		// w3,
		// while the gang runs; the two pools share no node
		String other = submit("other-1", "b", List.of(w3), "--nnodes", "1", "--gpus-per-node", "4", "--release",
				release.toString());
		JsonNode otherReport = awaitReport(other);
		assertThat(otherReport.get("driver_node").asString()).isEqualTo(w3);
		List<JsonNode> otherGroups = groups("other-1verl_group_4:");
		assertThat(otherGroups).singleElement()
			.satisfies((g) -> assertThat(g.get("state").asString()).isEqualTo("CREATED"));
		assertThat(bundleNodes(otherGroups)).containsExactly(w3);
		assertThat(bundleNodes(otherGroups)).doesNotContainAnyElementsOf(gangNodes);
		assertThat(groups("gang-1extra").get(0).get("state").asString()).as("still waiting, never spilled")
			.isEqualTo("PENDING");

		// 4. both end when released; the pending group goes with its job
		Files.writeString(release, "go");
		for (String id : List.of(gang, other)) {
			await().atMost(JOB_TIMEOUT)
				.pollInterval(Duration.ofMillis(500))
				.until(() -> rayJob(id).get("status").asString(), (s) -> s.equals("SUCCEEDED"));
		}
	}

	@Test
	void shouldKeepTwoGangsSharingANodeWithinTheGpusEachWasGiven() throws IOException {
		String w1 = rayNodeId(1);
		// the scheduler shares w1 (4 GPUs) between two jobs of pool a, 2 GPUs each; the
		// spec's GPUs per node reach the shim as RAYLANE_PLACEMENT_GPUS={"w1": 2}
		Path release = root.resolve("release-shared");
		// 1. job A misbehaves: verl's resource pool for 2 nodes of 2 GPUs (4 GPUs, two
		// STRICT_PACK groups, verl 0.9.1 RayResourcePool.get_placement_groups as in the
		// fixture) while it was given 2 GPUs on w1; it waits for both groups, as verl
		// does
		String a = submit("share-a", "a", List.of("w1"), gang(1, 2), "--nnodes", "2", "--gpus-per-node", "2",
				"--release", release.toString());
		List<JsonNode> aGroups = await().atMost(JOB_TIMEOUT)
			.pollInterval(Duration.ofMillis(500))
			.until(() -> groupsOrNone("share-averl_group_2_2:"),
					(g) -> g.size() == 2 && g.stream().anyMatch((x) -> x.get("state").asString().equals("CREATED")));
		JsonNode aFirst = named(aGroups, "share-averl_group_2_2:0");
		assertThat(aFirst.get("state").asString()).as("%s", aGroups).isEqualTo("CREATED");
		assertThat(bundleNodes(List.of(aFirst))).containsExactly(w1);

		// 2. job B, well-behaved, 2 GPUs on the same node: it gets them although A asked
		// for
		// them first and w1 has them free in Ray's eyes
		String b = submit("share-b", "a", List.of("w1"), gang(1, 2), "--nnodes", "1", "--gpus-per-node", "2",
				"--release", release.toString());
		JsonNode bReport = awaitReport(b);
		assertThat(bReport.get("driver_node").asString()).isEqualTo(w1);
		List<JsonNode> bGroups = groups("share-bverl_group_2:");
		assertThat(bGroups).singleElement()
			.satisfies((g) -> assertThat(g.get("state").asString()).isEqualTo("CREATED"));
		assertThat(bundleNodes(bGroups)).as("every bundle on the node it was given").containsExactly(w1);
		for (JsonNode bundle : bGroups.get(0).get("bundles")) {
			assertThat(bundle.get("label_selector").get("raylane.io/node").asString()).as("pinned to one node")
				.isEqualTo("in(w1)");
		}

		// 3. A's group beyond its 2 GPUs waited all along, visibly, on a label no node
		// has
		JsonNode aExtra = named(groups("share-averl_group_2_2:"), "share-averl_group_2_2:1");
		assertThat(aExtra.get("state").asString()).as("%s", aExtra).isEqualTo("PENDING");
		for (JsonNode bundle : aExtra.get("bundles")) {
			assertThat(bundle.get("label_selector").get("raylane.io/node").asString())
				.isEqualTo("in(raylane-over-reservation)");
			JsonNode node = bundle.get("node_id");
			assertThat(node == null || node.isNull() || node.asString().isEmpty()).as("placed nowhere: %s", aExtra)
				.isTrue();
		}
		assertThat(logs(a)).contains("raylane placement: placement group 'share-averl_group_2_2:1' (STRICT_PACK)"
				+ " asks 2 GPUs, 2 reserved for this job");
		assertThat(rayJob(a).get("status").asString()).isEqualTo("RUNNING");

		// 4. B completes; A, which never got its second group, is stopped (Raylane stops
		// it
		// at its timeout)
		Files.writeString(release, "go");
		await().atMost(JOB_TIMEOUT)
			.pollInterval(Duration.ofMillis(500))
			.until(() -> rayJob(b).get("status").asString(), (s) -> s.equals("SUCCEEDED"));
		HttpResponse<String> stop = ray.post("/api/jobs/" + a + "/stop", "application/json", "");
		assertThat(stop.statusCode()).as(stop.body()).isEqualTo(200);
		await().atMost(JOB_TIMEOUT)
			.pollInterval(Duration.ofMillis(500))
			.until(() -> rayJob(a).get("status").asString(), (s) -> s.equals("STOPPED"));
	}

	static JobSpec gang(int nnodes, int gpusPerNode) {
		return new JobSpec("fixture", "command", "fixture", "a", Resources.of(nnodes, gpusPerNode), null, Map.of());
	}

	static JsonNode named(List<JsonNode> groups, String name) {
		return groups.stream()
			.filter((g) -> g.get("name").asString().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no group " + name + " in " + groups));
	}

	static String submit(String id, String pool, List<String> nodes, String... args) {
		return submit(id, pool, nodes, (JobSpec) null, args);
	}

	/**
	 * Dispatches a job through the submitter as the scheduler does, with the nodes it
	 * reserved (and the spec whose GPUs per node it reserved on each; null = none known),
	 * and returns its id.
	 */
	static String submit(String id, String pool, List<String> nodes, JobSpec spec, String... args) {
		List<String> argv = new ArrayList<>(List.of(python.toString(), fixture.toString(), "--name", id));
		argv.addAll(List.of(args));
		String entrypoint = String.join(" ", argv.stream().map(ShellQuote::quote).toList());
		SubmitToRay command = new SubmitToRay(SubmitToRay.SCHEMA_VERSION, id, "alice", pool, spec, entrypoint, Map.of(),
				Map.of("raylane-pool-" + pool, 1.0), Map.of(), null, nodes);
		assertThat(submitter.handle(command)).isInstanceOf(Submitted.class);
		return id;
	}

	/** The fixture's report, once its verl groups are ready. */
	static JsonNode awaitReport(String id) {
		String line = await().atMost(JOB_TIMEOUT)
			.pollInterval(Duration.ofMillis(500))
			.until(() -> logs(id).lines().filter((l) -> l.startsWith("PLACEMENT_READY ")).findFirst().orElse(null),
					(l) -> {
						if (l == null) {
							String status = rayJob(id).get("status").asString();
							assertThat(status).as("job %s ended early: %s", id, logs(id)).isIn("PENDING", "RUNNING");
						}
						return l != null;
					});
		return Json.mapper().readTree(line.substring("PLACEMENT_READY ".length()));
	}

	static String logs(String id) {
		HttpResponse<String> response = ray.get("/api/jobs/" + id + "/logs");
		return (response.statusCode() == 200) ? Json.mapper().readTree(response.body()).get("logs").asString() : "";
	}

	static JsonNode rayJob(String id) {
		HttpResponse<String> response = ray.get("/api/jobs/" + id);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return Json.mapper().readTree(response.body());
	}

	/**
	 * {@code GET /api/v0/placement_groups?detail=true}: the groups whose name starts with
	 * {@code prefix}.
	 */
	static List<JsonNode> groups(String prefix) {
		List<JsonNode> result = groupsOrNone(prefix);
		assertThat(result).as("groups named %s*", prefix).isNotEmpty();
		return result;
	}

	/** The groups whose name starts with {@code prefix}, maybe none yet. */
	static List<JsonNode> groupsOrNone(String prefix) {
		HttpResponse<String> response = ray.get("/api/v0/placement_groups?detail=true&limit=1000");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		List<JsonNode> result = new ArrayList<>();
		for (JsonNode group : Json.mapper().readTree(response.body()).get("data").get("result").get("result")) {
			if (group.get("name").asString().startsWith(prefix)) {
				result.add(group);
			}
		}
		return result;
	}

	static Set<String> bundleNodes(List<JsonNode> groups) {
		Set<String> nodes = new HashSet<>();
		for (JsonNode group : groups) {
			for (JsonNode bundle : group.get("bundles")) {
				nodes.add(bundle.get("node_id").asString());
			}
		}
		return nodes;
	}

	static int bundleCount(List<JsonNode> groups) {
		return groups.stream().mapToInt((g) -> g.get("bundles").size()).sum();
	}

	/** Nodes of the fixture's driver and GPU actor. */
	static List<String> actorNodes(JsonNode report) {
		return List.of(report.get("driver_node").asString(), report.get("gpu_actor_node").asString());
	}

	static String rayNodeId(int worker) {
		return cluster.aliveNodeId(cluster.worker(worker).ip())
			.orElseThrow(() -> new AssertionError("Ray lists no ALIVE node at " + cluster.worker(worker).ip()));
	}

}
