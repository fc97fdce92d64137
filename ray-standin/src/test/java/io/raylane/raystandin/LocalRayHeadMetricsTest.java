package io.raylane.raystandin;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import io.raylane.rayclient.wire.RayJson;
import io.raylane.support.metrics.PrometheusText;
import io.raylane.support.metrics.PrometheusText.Sample;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The simulated GPU metrics of the local head's workers, over real HTTP: Ray's names,
 * labels and units on each ALIVE worker's own IP and metrics port, values that follow
 * {@link LocalRayHead#simulateGpus} and the local-only PUT route, clear 400/404 answers,
 * and endpoints that stop with their node.
 */
class LocalRayHeadMetricsTest {

	private static final List<String> FAMILIES = List.of("ray_node_gpus_utilization", "ray_node_gram_used",
			"ray_node_gram_available", "ray_node_gpus_available");

	private static final List<String> NODE_FAMILIES = List.of("ray_node_cpu_utilization", "ray_resources");

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@TempDir
	Path stateDir;

	LocalRayHead head;

	RayHttp ray;

	@BeforeEach
	void startHead() {
		this.head = LocalRayHead.start(LocalRayHeadConfig.defaults(this.stateDir).withPort(0));
		this.ray = new RayHttp(this.head.address());
	}

	@AfterEach
	void stopHead() {
		this.head.close();
	}

	@Test
	void shouldServeRayGpuMetricsOnEachWorkersOwnIpAndTheSamePort() throws Exception {
		for (String ip : List.of("127.0.0.2", "127.0.0.3")) {
			List<Sample> all = scrape(ip);
			assertThat(all).extracting(Sample::name)
				.containsOnlyElementsOf(
						java.util.stream.Stream.concat(FAMILIES.stream(), NODE_FAMILIES.stream()).toList());
			assertThat(all).filteredOn((s) -> s.name().equals("ray_resources"))
				.as("AVAILABLE and USED of each logical resource, labelled NodeAddress as in Ray 2.60")
				.extracting((s) -> s.labels().get("Name") + "/" + s.labels().get("State"))
				.containsExactlyInAnyOrder("CPU/AVAILABLE", "CPU/USED", "GPU/AVAILABLE", "GPU/USED", "memory/AVAILABLE",
						"memory/USED", "object_store_memory/AVAILABLE", "object_store_memory/USED",
						"raylane-pool-default/AVAILABLE", "raylane-pool-default/USED");
			assertThat(all).filteredOn((s) -> s.name().equals("ray_resources"))
				.allSatisfy((s) -> assertThat(s.labels()).containsEntry("NodeAddress", ip)
					.containsEntry("Component", "raylet")
					.containsEntry("WorkerId", ""));
			List<Sample> samples = all.stream().filter((s) -> FAMILIES.contains(s.name())).toList();
			for (String family : FAMILIES) {
				assertThat(samples.stream().filter((s) -> s.name().equals(family)))
					.as(family + " has one series per GPU")
					.extracting((s) -> s.labels().get("GpuIndex"))
					.containsExactly("0", "1", "2", "3");
			}
			assertThat(samples).allSatisfy((s) -> {
				assertThat(s.labels()).containsEntry("ip", ip)
					.containsEntry("RayNodeType", "worker")
					.containsEntry("IsHeadNode", "false")
					.containsEntry("GpuDeviceName", "NVIDIA A100-SXM4-80GB")
					.containsEntry("Version", LocalRayHead.RAY_VERSION)
					.containsKey("SessionName");
				assertThat(s.labels().get("SessionName")).startsWith("session_");
			});
			// idle by default; memory in MiB of an 80 GiB card, as Ray reports it
			assertThat(values(samples, "ray_node_gpus_utilization")).containsOnly(0.0);
			assertThat(values(samples, "ray_node_gram_used")).containsOnly(0.0);
			assertThat(values(samples, "ray_node_gram_available")).containsOnly(81920.0);
			assertThat(values(samples, "ray_node_gpus_available")).containsOnly(1.0);
		}
		assertThat(this.head.metricsPort()).isPositive().isNotEqualTo(this.head.port());
	}

	@Test
	void shouldServeTheValuesSimulateGpusSets() throws Exception {
		this.head.simulateGpus("127.0.0.3", 87.5, 30720);
		this.head.simulateGpus("127.0.0.3", 2, 3.0, 1024);

		List<Sample> samples = scrape("127.0.0.3");

		assertThat(values(samples, "ray_node_gpus_utilization")).containsExactly(87.5, 87.5, 3.0, 87.5);
		assertThat(values(samples, "ray_node_gram_used")).containsExactly(30720.0, 30720.0, 1024.0, 30720.0);
		assertThat(values(samples, "ray_node_gram_available")).containsExactly(51200.0, 51200.0, 80896.0, 51200.0);
		assertThat(values(scrape("127.0.0.2"), "ray_node_gpus_utilization")).as("the other node is untouched")
			.containsOnly(0.0);
		assertThatThrownBy(() -> this.head.simulateGpus("127.0.0.9", 10, 0)).isInstanceOf(NoSuchElementException.class);
		assertThatThrownBy(() -> this.head.simulateGpus("127.0.0.2", 101, 0)).hasMessageContaining("utilization");
		assertThatThrownBy(() -> this.head.simulateGpus("127.0.0.2", 4, 10, 0)).hasMessageContaining("gpu_index");
	}

	@Test
	void shouldDriveTheSimulatedGpusOverTheLocalRoute() throws Exception {
		HttpResponse<String> all = put("127.0.0.2", "{\"utilization\": 55, \"gram_used_mib\": 40960}");
		HttpResponse<String> one = put("127.0.0.2", "{\"utilization\": 0.5, \"gram_used_mib\": 0, \"gpu_index\": 1}");

		assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
		assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
		JsonNode answer = RayJson.mapper().readTree(one.body());
		assertThat(answer.get("node_ip").asString()).isEqualTo("127.0.0.2");
		assertThat(answer.get("gpus").get(1).get("utilization").asDouble()).isEqualTo(0.5);
		assertThat(values(scrape("127.0.0.2"), "ray_node_gpus_utilization")).containsExactly(55.0, 0.5, 55.0, 55.0);
		HttpResponse<String> read = this.ray.get(SimulatedGpuRoutes.PREFIX + "127.0.0.2");
		assertThat(RayJson.mapper().readTree(read.body())).isEqualTo(answer);
	}

	@Test
	void shouldRefuseBadInputNamingTheFieldAndAnUnknownNodeWith404() throws Exception {
		Map<String, String> bad = Map.of("{\"utilization\": \"high\", \"gram_used_mib\": 0}", "utilization",
				"{\"utilization\": 150, \"gram_used_mib\": 0}", "utilization", "{\"utilization\": 10}", "gram_used_mib",
				"{\"utilization\": 10, \"gram_used_mib\": -1}", "gram_used_mib",
				"{\"utilization\": 10, \"gram_used_mib\": 90000}", "gram_used_mib",
				"{\"utilization\": 10, \"gram_used_mib\": 0, \"gpu_index\": 4}", "gpu_index",
				"{\"utilization\": 10, \"gram_used_mib\": 0, \"gpu_index\": 1.5}", "gpu_index",
				"{\"utilization\": 10, \"gram_used_mib\": 0, \"gpus\": 1}", "gpus", "[1, 2]", "JSON object",
				"{not json", "invalid JSON");
		for (Map.Entry<String, String> e : bad.entrySet()) {
			HttpResponse<String> response = put("127.0.0.2", e.getKey());
			assertThat(response.statusCode()).as(e.getKey()).isEqualTo(400);
			assertThat(response.body()).as(e.getKey()).contains(e.getValue());
		}
		assertThat(values(scrape("127.0.0.2"), "ray_node_gpus_utilization")).as("nothing changed").containsOnly(0.0);
		HttpResponse<String> unknown = put("127.0.0.99", "{\"utilization\": 10, \"gram_used_mib\": 0}");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).contains("127.0.0.99");
		assertThat(this.ray.get(SimulatedGpuRoutes.PREFIX + "127.0.0.99").statusCode()).isEqualTo(404);
	}

	@Test
	void shouldStopServingWhenTheNodeLeavesAndServeAgainIdleWhenItRejoins() throws Exception {
		this.head.simulateGpus("127.0.0.3", 99, 100);
		String nodeId = this.head.aliveWorkers().get(1);

		this.head.leave(nodeId);

		assertThatThrownBy(() -> scrape("127.0.0.3")).isInstanceOf(ConnectException.class);
		assertThat(put("127.0.0.3", "{\"utilization\": 10, \"gram_used_mib\": 0}").statusCode()).isEqualTo(404);
		assertThat(scrape("127.0.0.2")).isNotEmpty();
		assertThat(this.stateDir.resolve(NodeMetricsServers.SERVICE_DISCOVERY_FILE)).content()
			.contains("127.0.0.2:" + this.head.metricsPort())
			.doesNotContain("127.0.0.3");

		this.head.join(WorkerSpec.ofPool("127.0.0.3", "default", 2));
		this.head.leave(nodeId);

		assertThat(values(scrape("127.0.0.3"), "ray_node_gpus_utilization"))
			.as("the new node serves, idle, also after its dead predecessor left again")
			.containsExactly(0.0, 0.0);
	}

	@Test
	void shouldStopEveryEndpointOnClose() {
		this.head.close();

		assertThatThrownBy(() -> scrape("127.0.0.2")).isInstanceOf(ConnectException.class);
	}

	private List<Sample> scrape(String ip) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://" + ip + ":" + this.head.metricsPort() + "/metrics")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/plain; version=0.0.4"));
		for (String family : FAMILIES) {
			assertThat(response.body()).contains("# HELP " + family + " ").contains("# TYPE " + family + " gauge\n");
		}
		return PrometheusText.parseStrict(response.body());
	}

	private HttpResponse<String> put(String ip, String body) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create(this.head.address() + SimulatedGpuRoutes.PREFIX + ip))
			.PUT(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static List<Double> values(List<Sample> samples, String name) {
		return samples.stream().filter((s) -> s.name().equals(name)).map(Sample::value).toList();
	}

}
