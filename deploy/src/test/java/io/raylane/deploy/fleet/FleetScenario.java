package io.raylane.deploy.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The acceptance flow, shared by the MINA SSHD and the OpenSSH end-to-end tests:
 * register two nodes → {@code ray start} over SSH → both ONLINE → a queued 2 x 4 gang
 * dispatches onto them; drain one: no new job lands on it, its running job finishes,
 * {@code ray stop} runs, the node ends OFFLINE.
 */
public final class FleetScenario {

	static final Duration WAIT = Duration.ofSeconds(60);

	/**
	 * What the scenario needs from the test: the API as admin and as a user, and the
	 * local head's worker count.
	 */
	public interface Api {

		int registerNode(String body);

		JsonNode node(String id);

		int drain(String id);

		String submit(String name, String command, int nnodes, int gpus, String pool);

		JsonNode awaitJob(String id, String... statuses);

		int aliveRayWorkers();

	}

	private final Api api;

	private final Path dir;

	private final String user;

	private final String pool;

	public FleetScenario(Api api, Path dir, String user, String pool) {
		this.api = api;
		this.dir = dir;
		this.user = user;
		this.pool = pool;
	}

	public String spec(String id, Worker worker, String extra) {
		return "{\"node_id\":\"" + id + "\",\"host\":\"" + worker.ip() + "\",\"port\":" + worker.port() + ",\"user\":\""
				+ this.user + "\",\"pool\":\"" + this.pool + "\",\"gpus\":4,\"labels\":{\"zone\":\"a\"}" + extra + "}";
	}

	public JsonNode awaitState(String id, String state) {
		return await(id + " " + state).atMost(WAIT)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.api.node(id), (n) -> state.equals(n.path("state").asString()));
	}

	public void run(String prefix, Worker a, Worker b) throws IOException {
		String idA = prefix + "-a";
		String idB = prefix + "-b";
		int workersBefore = this.api.aliveRayWorkers();
		// 1. register two nodes: ray start runs over SSH, Ray reports them, they turn
		// ONLINE
		assertThat(this.api.registerNode(spec(idA, a, ""))).isEqualTo(202);
		assertThat(this.api.registerNode(spec(idB, b, ""))).isEqualTo(202);
		awaitState(idA, "ONLINE");
		awaitState(idB, "ONLINE");
		assertThat(a.rayRunning()).isTrue();
		assertThat(b.rayRunning()).isTrue();
		assertThat(this.api.aliveRayWorkers()).isEqualTo(workersBefore + 2);

		// 2. a 2 x 4 gang lands on both (a job's view names its nodes until it ends: each
		// job waits for a file)
		String gang = this.api.submit(prefix + "-gang", waitFor(prefix + "-gang"), 2, 4, this.pool);
		JsonNode gangJob = this.api.awaitJob(gang, "RUNNING", "FAILED", "REJECTED");
		assertThat(gangJob.get("status").asString()).isEqualTo("RUNNING");
		assertThat(gangJob.get("nodes").toString()).contains(idA).contains(idB);
		release(prefix + "-gang");
		assertThat(this.api.awaitJob(gang, "SUCCEEDED", "FAILED").get("status").asString()).isEqualTo("SUCCEEDED");

		// 3. a long job on one node, then drain that node
		String held = this.api.submit(prefix + "-held", waitFor(prefix + "-held"), 1, 2, this.pool);
		JsonNode heldJob = this.api.awaitJob(held, "RUNNING", "FAILED");
		String drained = heldJob.get("nodes").get(0).asString();
		String other = drained.equals(idA) ? idB : idA;
		assertThat(this.api.drain(drained)).isEqualTo(202);
		awaitState(drained, "DRAINING");

		// 4. no new job lands on it (best fit would have picked it: 2 GPUs free there, 4
		// on the other)
		String next = this.api.submit(prefix + "-next", waitFor(prefix + "-next"), 1, 2, this.pool);
		JsonNode nextJob = this.api.awaitJob(next, "RUNNING", "FAILED");
		assertThat(nextJob.get("nodes").toString()).isEqualTo("[\"" + other + "\"]");
		assertThat(this.api.node(drained).get("state").asString()).isEqualTo("DRAINING");
		assertThat(this.api.node(drained).get("jobs").toString()).isEqualTo("[\"" + held + "\"]");
		release(prefix + "-next");

		// 5. its running job finishes; then ray stop runs and the node ends OFFLINE
		release(prefix + "-held");
		assertThat(this.api.awaitJob(held, "SUCCEEDED", "FAILED").get("status").asString()).isEqualTo("SUCCEEDED");
		JsonNode offline = awaitState(drained, "OFFLINE");
		assertThat(offline.get("reason").asString()).isEqualTo("drained; ray stop exited 0");
		Function<String, Worker> worker = (id) -> id.equals(idA) ? a : b;
		assertThat(worker.apply(drained).rayRunning()).isFalse();
		assertThat(worker.apply(other).rayRunning()).isTrue();
		assertThat(this.api.aliveRayWorkers()).isEqualTo(workersBefore + 1);
		assertThat(this.api.node(other).get("state").asString()).isEqualTo("ONLINE");
		assertThat(this.api.awaitJob(next, "SUCCEEDED", "FAILED").get("status").asString()).isEqualTo("SUCCEEDED");
	}

	private String waitFor(String name) {
		return "while [ ! -f '" + this.dir.resolve("release-" + name) + "' ]; do sleep 0.1; done";
	}

	private void release(String name) throws IOException {
		Files.writeString(this.dir.resolve("release-" + name), "go");
	}

}
