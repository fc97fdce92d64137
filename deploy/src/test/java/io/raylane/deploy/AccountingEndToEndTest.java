package io.raylane.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.raylane.rayclient.wire.RayContract;
import io.raylane.raystandin.LocalRayHead;
import io.raylane.topics.Topics;
import io.raylane.topics.events.Alert;
import io.raylane.topics.events.GpuUsage;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.RayObservation;
import io.raylane.topics.json.Json;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * GPU accounting and idle-GPU alerts end to end on the local head (two 4-GPU workers):
 * jobs of different sizes and lengths, the observer restarted while they run, then the
 * records on {@code raylane.accounting} are checked against Ray's own start and end
 * times, {@code GET /v1/usage} against the records, and a job whose simulated GPUs stay
 * at 0 % raises {@code gpu_idle} on {@code raylane.alerts} while busy ones do not.
 */
@Tag("slow")
class AccountingEndToEndTest {

	static final Duration WAIT = Duration.ofSeconds(90);

	/**
	 * Short periods so that a test of seconds crosses several intervals and a whole idle
	 * window.
	 */
	static final Map<String, Object> FAST = Map.of("raylane.observer.accounting-interval", "2s",
			"raylane.observer.idle-gpu-window", "6s", "raylane.observer.idle-gpu-threshold", "5");

	@TempDir
	static Path root;

	@AutoClose
	static LocalStack stack;

	static RaylaneClient alice;

	static RaylaneClient bob;

	static RaylaneClient admin;

	@BeforeAll
	static void startStack() throws Exception {
		stack = LocalStack.start(LocalStackSettings.forTest(root), FAST);
		Map<String, String> tokens = RaylaneClient.devTokens(stack.settings().dataDir());
		alice = new RaylaneClient(stack.apiUrl(), tokens.get("alice"));
		bob = alice.as(tokens.get("bob"));
		admin = alice.as(tokens.get("admin"));
		alice.awaitHealthy();
	}

	@Test
	void shouldAccountEveryGpuSecondOnceAcrossAnObserverRestartAndAlertOnlyOnIdleGpus() throws Exception {
		// 1. busy GPUs everywhere; three jobs of different sizes and lengths, two users
		workerIps().forEach((ip) -> stack.localHead().simulateGpus(ip, 90, 40_000));
		String big = alice.submitCommand("big", "sleep 9", 1, 4);
		String small = alice.submitCommand("small", "sleep 4", 1, 1);
		String other = bob.submitCommand("other", "sleep 6", 1, 2);
		alice.awaitStatus(big, WAIT, "RUNNING");

		// 2. the observer goes away while they run, and comes back
		stack.restart("observer");

		for (String job : List.of(big, small, other)) {
			(job.equals(other) ? bob : alice).awaitStatus(job, WAIT, "SUCCEEDED");
		}

		// 3. an idle job: its GPUs stay at 0 % for longer than the window
		workerIps().forEach((ip) -> stack.localHead().simulateGpus(ip, 0, 0));
		String idle = alice.submitCommand("idle", "sleep 120", 1, 4);
		alice.awaitStatus(idle, WAIT, "RUNNING");
		List<Alert> alerts = await().atMost(WAIT)
			.until(AccountingEndToEndTest::alerts, (list) -> list.stream().anyMatch((a) -> a.subject().equals(idle)));
		assertThat(alice.post("/v1/jobs/" + idle + ":stop", null, "").statusCode()).isEqualTo(202);
		alice.awaitStatus(idle, WAIT, "STOPPED");

		// the idle job alerted once, with its evidence; the busy ones never
		Alert alert = alerts.stream().filter((a) -> a.subject().equals(idle)).findFirst().orElseThrow();
		assertThat(alert.kind()).isEqualTo(Alert.GPU_IDLE);
		assertThat(alert.severity()).isEqualTo(Alert.SEVERITY_WARNING);
		assertThat(alert.evidence()).containsEntry("user", "alice").containsEntry("gpus", 4);
		assertThat(((Number) alert.evidence().get("max_utilization_percent")).doubleValue()).isLessThan(5.0);
		assertThat(alerts).extracting(Alert::subject).doesNotContain(big, small, other).containsOnlyOnce(idle);

		// 4. every job's records sum to GPUs × Ray's running time, with no duplicate id
		Map<String, JobObserved> ended = terminalObservations();
		List<GpuUsage> usage = await().atMost(WAIT)
			.until(AccountingEndToEndTest::accounting,
					(records) -> records.stream().filter(GpuUsage::isFinal).count() == 4);
		assertThat(usage).extracting(GpuUsage::id).doesNotHaveDuplicates();
		Map<String, Integer> gpus = Map.of(big, 4, small, 1, other, 2, idle, 4);
		for (String job : gpus.keySet()) {
			JobObserved ray = ended.get(job);
			double expected = gpus.get(job) * (ray.endTimeMs() - ray.startTimeMs()) / 1000.0;
			List<GpuUsage> records = usage.stream().filter((u) -> u.jobId().equals(job)).toList();
			assertThat(records.stream().mapToDouble(GpuUsage::gpuSeconds).sum()).as(job)
				.isCloseTo(expected, within(1.0));
			assertThat(records).extracting(GpuUsage::intervalIndex)
				.containsExactlyInAnyOrderElementsOf(
						java.util.stream.LongStream.range(0, records.size()).boxed().toList());
			assertThat(records).filteredOn(GpuUsage::isFinal).hasSize(1);
			assertThat(records).allSatisfy((r) -> assertThat(r.gpus()).isEqualTo(gpus.get(job)));
		}
		// the 9 s job on 2 s intervals was cut into several records, some with measured
		// utilization
		assertThat(usage).filteredOn((u) -> u.jobId().equals(big)).hasSizeGreaterThanOrEqualTo(4);
		assertThat(usage).filteredOn((u) -> u.jobId().equals(big) && u.avgGpuUtilization() != null)
			.allSatisfy((u) -> assertThat(u.avgGpuUtilization()).isEqualTo(90.0))
			.isNotEmpty();

		// 5. /v1/usage agrees with the records, and each user sees only their own
		Map<String, Double> byJob = usage.stream()
			.collect(Collectors.groupingBy(GpuUsage::jobId, Collectors.summingDouble(GpuUsage::gpuSeconds)));
		JsonNode mine = Json.mapper().readTree(alice.get("/v1/usage?group_by=job").body());
		assertThat(groups(mine)).containsOnlyKeys(big, small, idle);
		groups(mine).forEach((job, seconds) -> assertThat(seconds).as(job).isCloseTo(byJob.get(job), within(0.01)));
		JsonNode bobs = Json.mapper().readTree(bob.get("/v1/usage?group_by=user").body());
		assertThat(groups(bobs)).containsOnlyKeys("bob");
		assertThat(groups(bobs).get("bob")).isCloseTo(byJob.get(other), within(0.01));
		assertThat(bob.get("/v1/usage?group_by=job&user=alice").statusCode()).isEqualTo(403);
		JsonNode all = Json.mapper().readTree(admin.get("/v1/usage?group_by=user").body());
		assertThat(groups(all)).containsOnlyKeys("alice", "bob");
		assertThat(groups(all).get("alice")).isCloseTo(byJob.get(big) + byJob.get(small) + byJob.get(idle),
				within(0.01));
	}

	private static List<String> workerIps() {
		return java.util.stream.IntStream.range(0, stack.settings().localWorkers())
			.mapToObj(LocalRayHead::workerIp)
			.toList();
	}

	private static Map<String, Double> groups(JsonNode usage) {
		Map<String, Double> groups = new HashMap<>();
		usage.get("groups").forEach((g) -> groups.put(g.get("key").asString(), g.get("gpu_seconds").asDouble()));
		return groups;
	}

	private static List<GpuUsage> accounting() {
		return KafkaProbe.readAll(stack.bootstrapServers(), Topics.ACCOUNTING.name())
			.stream()
			.map((bytes) -> Topics.ACCOUNTING.valueSerde().deserializer().deserialize(Topics.ACCOUNTING.name(), bytes))
			.toList();
	}

	private static List<Alert> alerts() {
		return KafkaProbe.readAll(stack.bootstrapServers(), Topics.ALERTS.name())
			.stream()
			.map((bytes) -> Topics.ALERTS.valueSerde().deserializer().deserialize(Topics.ALERTS.name(), bytes))
			.toList();
	}

	/** Ray's own start and end times, as the observer published them. */
	private static Map<String, JobObserved> terminalObservations() {
		return KafkaProbe.readAll(stack.bootstrapServers(), Topics.RAY_OBSERVATIONS.name())
			.stream()
			.map((bytes) -> Topics.RAY_OBSERVATIONS.valueSerde()
				.deserializer()
				.deserialize(Topics.RAY_OBSERVATIONS.name(), bytes))
			.filter(JobObserved.class::isInstance)
			.map(JobObserved.class::cast)
			.filter((o) -> RayContract.isTerminal(o.rayStatus()) && o.endTimeMs() != null)
			.collect(Collectors.toMap(JobObserved::jobId, Function.identity(), (a, b) -> a));
	}

}
