package io.raylane.api.metrics;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.raylane.api.ApiIntegrationTestSupport;
import io.raylane.topics.Topics;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.node.NodeState;
import io.raylane.topics.node.NodeView;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cluster-state gauges of docs/metrics.md, as Prometheus scrapes them from
 * {@code /actuator/prometheus}, fed by snapshots on the real {@code raylane.node-states}
 * and {@code raylane.job-states} topics. Each test uses its own pool, so other tests'
 * nodes and jobs do not count.
 */
@Tag("slow")
class ClusterGaugesApiTest extends ApiIntegrationTestSupport {

	@Autowired
	MeterRegistry registry;

	void publishNode(String pool, String id, NodeState state, String reason, int gpus, int allocated) {
		produce(Topics.NODE_STATES.name(), id,
				Topics.NODE_STATES.valueSerde()
					.serializer()
					.serialize("t", new NodeView(1, id, "127.19.0.1", pool, state, reason, gpus, allocated, Map.of(),
							List.of(), Instant.now())));
	}

	void publishJob(String pool, String id, JobStatus status, Instant submittedAt) {
		publishView(
				JobView.builder().jobId(id).user("alice").pool(pool).status(status).submittedAt(submittedAt).build());
	}

	/**
	 * Every sample of the scrape, as {@code name{labels}} → value (labels as Prometheus
	 * prints them).
	 */
	Map<String, Double> scrape() throws Exception {
		HttpResponse<String> response = get("/actuator/prometheus", ALICE);
		assertThat(response.statusCode()).isEqualTo(200);
		return Arrays.stream(response.body().split("\n"))
			.filter((line) -> line.startsWith("raylane_"))
			.collect(Collectors.toMap((line) -> line.substring(0, line.lastIndexOf(' ')),
					(line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), (a, b) -> b));
	}

	@Test
	void shouldExportPoolGpusNodeStatesAndLostNodesOfAPool() throws Exception {
		String pool = "gauges-" + Long.toHexString(System.nanoTime());
		publishNode(pool, pool + "-on", NodeState.ONLINE, null, 8, 3);
		publishNode(pool, pool + "-drain", NodeState.DRAINING, "draining: no new jobs", 4, 4);
		publishNode(pool, pool + "-lost", NodeState.OFFLINE, "lost: Ray reports the node dead since x", 8, 0);
		publishNode(pool, pool + "-gone", NodeState.OFFLINE, "decommissioned", 2, 0);
		publishNode(pool, pool + "-failed", NodeState.FAILED, "ray start failed", 4, 0);

		await().untilAsserted(
				() -> assertThat(scrape()).containsEntry("raylane_nodes{pool=\"" + pool + "\",state=\"FAILED\"}", 1.0));
		Map<String, Double> samples = scrape();

		String p = "pool=\"" + pool + "\"";
		assertThat(samples).containsEntry("raylane_pool_gpus{" + p + ",state=\"total\"}", 12.0)
			.containsEntry("raylane_pool_gpus{" + p + ",state=\"allocated\"}", 7.0)
			.containsEntry("raylane_pool_gpus{" + p + ",state=\"free\"}", 5.0)
			.containsEntry("raylane_nodes{" + p + ",state=\"ONLINE\"}", 1.0)
			.containsEntry("raylane_nodes{" + p + ",state=\"DRAINING\"}", 1.0)
			.containsEntry("raylane_nodes{" + p + ",state=\"OFFLINE\"}", 2.0)
			.containsEntry("raylane_nodes{" + p + ",state=\"REGISTERED\"}", 0.0)
			.containsEntry("raylane_nodes{" + p + ",state=\"PROVISIONING\"}", 0.0)
			.containsEntry("raylane_nodes_lost{" + p + "}", 1.0)
			.containsEntry("raylane_queue_depth{" + p + "}", 0.0)
			.containsEntry("raylane_queue_oldest_wait_seconds{" + p + "}", 0.0);
		assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
	}

	@Test
	void shouldExportTheConsumerLagOfTheReadModelsAndTheDeadLetterCounter() throws Exception {
		String body = get("/actuator/prometheus", ALICE).body();
		// the read models (job-states, node-states, accounting) and the dead-letter
		// counter's consumer group
		assertThat(body.lines().filter((line) -> line.startsWith("kafka_consumer_fetch_manager_records_lag_max{")))
			.hasSizeGreaterThanOrEqualTo(4);
	}

	@Test
	void shouldExportQueueDepthAndOldestWaitOfAPool() throws Exception {
		String pool = "queue-" + Long.toHexString(System.nanoTime());
		Instant oldest = Instant.now().minusSeconds(600);
		publishJob(pool, freshId("q1"), JobStatus.QUEUED, oldest);
		publishJob(pool, freshId("q2"), JobStatus.QUEUED, oldest.plusSeconds(300));
		String third = freshId("q3");
		publishJob(pool, third, JobStatus.QUEUED, oldest.plusSeconds(400));
		publishJob(pool, third, JobStatus.DISPATCHED, oldest.plusSeconds(400));
		publishJob(pool, freshId("r"), JobStatus.RUNNING, oldest.minusSeconds(86_400));

		await().untilAsserted(
				() -> assertThat(this.registry.find("raylane.queue.depth").tag("pool", pool).gauge()).isNotNull()
					.extracting((g) -> g.value())
					.isEqualTo(2.0));

		double wait = this.registry.get("raylane.queue.oldest.wait.seconds").tag("pool", pool).gauge().value();
		// at least the 600 s since the oldest queued job's submission (the running one
		// does not count)
		assertThat(wait).isGreaterThanOrEqualTo(600.0).isLessThan(86_400.0);
		assertThat(scrape()).containsEntry("raylane_queue_depth{pool=\"" + pool + "\"}", 2.0);
	}

	@Test
	void shouldExportJobsByEveryStatusEqualToTheReadModel() throws Exception {
		publishJob("default", freshId("done"), JobStatus.SUCCEEDED, Instant.now());

		await().untilAsserted(() -> {
			Map<String, Double> samples = scrape();
			Map<String, Double> expected = new HashMap<>();
			for (JobStatus status : JobStatus.values()) {
				expected.put("raylane_jobs{status=\"" + status + "\"}", 0.0);
			}
			for (JsonNode job : json(get("/v1/jobs", ADMIN)).get("jobs")) {
				expected.merge("raylane_jobs{status=\"" + job.get("status").asString() + "\"}", 1.0, Double::sum);
			}
			assertThat(samples).containsAllEntriesOf(expected);
			assertThat(expected.get("raylane_jobs{status=\"SUCCEEDED\"}")).isPositive();
		});
	}

}
