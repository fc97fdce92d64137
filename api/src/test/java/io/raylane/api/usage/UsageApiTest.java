package io.raylane.api.usage;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.raylane.api.ApiIntegrationTestSupport;
import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.events.GpuUsage;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /v1/usage} over HTTP, from accounting records produced in transactions (as
 * the observer does) on a real broker. Each test uses its own day, so the records of one
 * never fall in another's window.
 */
@Tag("slow")
class UsageApiTest extends ApiIntegrationTestSupport {

	@Autowired
	MeterRegistry registry;

	static GpuUsage usage(String job, long index, String user, String pool, int gpus, Instant start, long seconds,
			Double utilization) {
		Instant end = start.plusSeconds(seconds);
		return new GpuUsage(1, GpuUsage.idOf(job, index), job, user, pool, "ppo", gpus, index, start, end,
				GpuUsage.gpuSeconds(gpus, start, end), false, utilization, null);
	}

	/** Produces {@code records} in one transaction, committed or aborted. */
	void transaction(boolean commit, GpuUsage... records) {
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.getBrokersAsString(),
						ProducerConfig.TRANSACTIONAL_ID_CONFIG, "usage-test-" + System.nanoTime()),
				new StringSerializer(), new ByteArraySerializer())) {
			producer.initTransactions();
			producer.beginTransaction();
			for (GpuUsage record : records) {
				producer.send(new ProducerRecord<>(Topics.ACCOUNTING.name(), record.jobId(),
						Topics.ACCOUNTING.valueSerde().serializer().serialize("t", record)));
			}
			if (commit) {
				producer.commitTransaction();
			}
			else {
				producer.abortTransaction();
			}
		}
	}

	JsonNode usage(String query, String token) throws Exception {
		HttpResponse<String> response = get("/v1/usage?" + query, token);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json(response);
	}

	static double sum(GpuUsage... records) {
		return java.util.Arrays.stream(records).mapToDouble(GpuUsage::gpuSeconds).sum();
	}

	static String day(String date) {
		return "from=" + date + "&to=" + java.time.LocalDate.parse(date).plusDays(1);
	}

	@Test
	void shouldSumTwoUsersAndPoolsCountingADuplicateOnceAndNeverAnAbortedRecord() throws Exception {
		Instant d = Instant.parse("2031-01-01T00:00:00Z");
		GpuUsage a10 = usage("rl-a1", 0, "alice", "pool-a", 4, d, 300, 80.0);
		GpuUsage a11 = usage("rl-a1", 1, "alice", "pool-a", 4, d.plusSeconds(300), 150, 40.0);
		GpuUsage a20 = usage("rl-a2", 0, "alice", "pool-b", 1, d, 100, null);
		GpuUsage b10 = usage("rl-b1", 0, "bob", "pool-b", 8, d, 300, null);
		GpuUsage aborted = usage("rl-a1", 2, "alice", "pool-a", 1000, d.plusSeconds(450), 60, null);
		transaction(true, a10, a20, b10);
		transaction(true, a10);
		transaction(false, aborted);
		Instant beforeLast = Instant.now();
		transaction(true, a11);
		String window = day("2031-01-01");

		// the last record of rl-a1 counted: the duplicate and the aborted one before it
		// were read too
		await().untilAsserted(() -> assertThat(usage(window, ADMIN).get("total_gpu_seconds").asDouble())
			.isEqualTo(sum(a10, a11, a20, b10)));
		JsonNode alice = usage("group_by=user&" + window, ALICE);
		assertThat(alice.get("group_by").asString()).isEqualTo("user");
		assertThat(alice.get("user").asString()).isEqualTo("alice");
		assertThat(alice.get("total_gpu_seconds").asDouble()).isEqualTo(sum(a10, a11, a20)).isEqualTo(1900.0);
		assertThat(alice.get("total_gpu_hours").asDouble()).isEqualTo(1900.0 / 3600);
		assertThat(alice.get("groups")).hasSize(1);
		JsonNode aliceGroup = alice.get("groups").get(0);
		assertThat(aliceGroup.get("key").asString()).isEqualTo("alice");
		assertThat(aliceGroup.get("jobs").asInt()).isEqualTo(2);
		assertThat(aliceGroup.get("records").asInt()).isEqualTo(3);
		assertThat(aliceGroup.get("avg_gpu_utilization").asDouble()).isEqualTo(66.67);

		JsonNode byUser = usage("group_by=user&" + window, ADMIN);
		assertThat(byUser.get("groups").findValuesAsString("key")).containsExactly("bob", "alice");
		assertThat(byUser.get("groups").get(0).get("gpu_seconds").asDouble()).isEqualTo(sum(b10));
		assertThat(byUser.has("user")).as("no filter for an admin").isFalse();
		JsonNode byPool = usage("group_by=pool&" + window, ADMIN);
		assertThat(byPool.get("groups").findValuesAsString("key")).containsExactly("pool-b", "pool-a");
		assertThat(byPool.get("groups").get(0).get("gpu_seconds").asDouble()).isEqualTo(sum(a20, b10));
		assertThat(byPool.get("groups").get(1).get("gpu_seconds").asDouble()).isEqualTo(sum(a10, a11));
		JsonNode byJob = usage("group_by=job&user=alice&" + window, ADMIN);
		assertThat(byJob.get("groups").findValuesAsString("key")).containsExactly("rl-a1", "rl-a2");
		assertThat(byJob.get("groups").get(0).get("user").asString()).isEqualTo("alice");
		assertThat(byJob.get("groups").get(0).get("pool").asString()).isEqualTo("pool-a");
		assertThat(byJob.get("total_gpu_seconds").asDouble()).isEqualTo(sum(a10, a11, a20));
		await().untilAsserted(() -> assertThat(Instant.parse(usage(window, ADMIN).get("as_of").asString()))
			.isAfterOrEqualTo(beforeLast));
	}

	@Test
	void shouldCountARecordOverlappingTheWindowPartlyProRata() throws Exception {
		Instant d = Instant.parse("2031-01-02T00:00:00Z");
		GpuUsage c10 = usage("rl-c1", 0, "alice", "pool-a", 2, d.plusSeconds(60), 600, null);
		transaction(true, c10);
		await().untilAsserted(() -> assertThat(usage(day("2031-01-02"), ALICE).get("total_gpu_seconds").asDouble())
			.isEqualTo(1200.0));

		JsonNode partial = usage("from=2031-01-02T00:06:00Z&to=2031-01-02T00:08:30.500Z", ALICE);
		JsonNode plainDates = usage("from=2031-01-02&to=2031-01-03", ALICE);

		// 2 GPUs × 150.5 s of the record's 600 s fall in the window
		assertThat(partial.get("total_gpu_seconds").asDouble()).isEqualTo(301.0);
		assertThat(partial.get("from").asString()).isEqualTo("2031-01-02T00:06:00Z");
		assertThat(partial.get("groups").get(0).get("records").asInt()).isEqualTo(1);
		assertThat(plainDates.get("total_gpu_seconds").asDouble()).isEqualTo(sum(c10));
		assertThat(plainDates.get("from").asString()).isEqualTo("2031-01-02T00:00:00Z");
	}

	@Test
	void shouldShowARegularUserOnlyTheirOwnUsageAndRefuseAnotherUsersWith403() throws Exception {
		Instant d = Instant.parse("2031-01-03T00:00:00Z");
		GpuUsage alices = usage("rl-v1", 0, "alice", "pool-v", 2, d, 100, null);
		GpuUsage bobs = usage("rl-v2", 0, "bob", "pool-v", 3, d, 100, null);
		transaction(true, alices, bobs);
		String window = day("2031-01-03");
		await()
			.untilAsserted(() -> assertThat(usage(window, ADMIN).get("total_gpu_seconds").asDouble()).isEqualTo(500.0));

		JsonNode bobByPool = usage("group_by=pool&" + window, BOB);
		JsonNode bobByJob = usage("group_by=job&user=bob&" + window, BOB);
		HttpResponse<String> peek = get("/v1/usage?user=alice&" + window, BOB);

		assertThat(bobByPool.get("total_gpu_seconds").asDouble()).isEqualTo(300.0);
		assertThat(bobByPool.get("groups").get(0).get("jobs").asInt()).isEqualTo(1);
		assertThat(bobByJob.get("groups").findValuesAsString("key")).containsExactly("rl-v2");
		assertThat(peek.statusCode()).isEqualTo(403);
		assertThat(json(peek).get("error").asString()).isEqualTo("forbidden");
		assertThat(json(peek).get("field").asString()).isEqualTo("user");
		assertThat(peek.body()).doesNotContain("rl-v1");
		assertThat(usage("user=bob&" + window, ADMIN).get("total_gpu_seconds").asDouble()).isEqualTo(300.0);
		assertThat(get("/v1/usage", null).statusCode()).isEqualTo(401);
	}

	@Test
	void shouldRefuseEveryBadParameterWith400NamingIt() throws Exception {
		for (Map.Entry<String, String> bad : Map
			.of("group_by=team", "group_by", "from=last-week", "from", "to=2031-02-30", "to",
					"from=2031-01-02&to=2031-01-01", "from", "from=2031-01-01&to=2031-01-01", "from")
			.entrySet()) {
			HttpResponse<String> response = get("/v1/usage?" + bad.getKey(), ALICE);

			assertThat(response.statusCode()).as(bad.getKey()).isEqualTo(400);
			JsonNode body = json(response);
			assertThat(body.get("error").asString()).isEqualTo("invalid_parameter");
			assertThat(body.get("field").asString()).as(bad.getKey()).isEqualTo(bad.getValue());
			assertThat(body.get("detail").asString()).isNotBlank();
		}
	}

	@Test
	void shouldDeadLetterUnreadableAccountingRecordsAndCarryOn() throws Exception {
		double counted = this.registry.get("raylane.dead.letters")
			.tag("topic", Topics.ACCOUNTING.name())
			.counter()
			.count();
		Instant d = Instant.parse("2031-01-04T00:00:00Z");
		String key = "rl-dl-" + System.nanoTime();
		produce(Topics.ACCOUNTING.name(), key, "{broken".getBytes(StandardCharsets.UTF_8));
		GpuUsage noUser = new GpuUsage(1, GpuUsage.idOf(key, 0), key, null, "pool-a", "ppo", 1, 0, d, d.plusSeconds(10),
				10.0, false, null, null);
		transaction(true, noUser, usage(key, 1, "alice", "pool-a", 1, d, 42, null));

		await().untilAsserted(
				() -> assertThat(usage(day("2031-01-04"), ALICE).get("total_gpu_seconds").asDouble()).isEqualTo(42.0));
		await().untilAsserted(() -> assertThat(deadLetters()).filteredOn((l) -> key.equals(l.key()))
			.extracting(DeadLetter::topic, DeadLetter::value)
			.hasSize(2)
			.allSatisfy((t) -> assertThat(t.toList().get(0)).isEqualTo(Topics.ACCOUNTING.name()))
			.anySatisfy((t) -> assertThat(t.toList().get(1)).isEqualTo("{broken")));
		await().untilAsserted(() -> assertThat(
				this.registry.get("raylane.dead.letters").tag("topic", Topics.ACCOUNTING.name()).counter().count())
			.isEqualTo(counted + 2));
		assertThat(List.of(get("/actuator/health", null).statusCode())).containsExactly(200);
	}

}
