package io.raylane.api.metrics;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.micrometer.core.instrument.MeterRegistry;
import io.raylane.api.ApiIntegrationTestSupport;
import io.raylane.topics.Topics;
import io.raylane.topics.deadletter.DeadLetter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code raylane_dead_letters_total{topic}} counts what lands on the real
 * {@code raylane.dead-letters} topic.
 */
@Tag("slow")
class DeadLetterCounterApiTest extends ApiIntegrationTestSupport {

	@Autowired
	MeterRegistry registry;

	double count(String topic) {
		return this.registry.get("raylane.dead.letters").tag("topic", topic).counter().count();
	}

	void deadLetter(String fromTopic) {
		DeadLetter letter = DeadLetter.of(fromTopic, 0, 7, "k", "{bad".getBytes(StandardCharsets.UTF_8), "test", "test",
				Instant.now());
		produce(Topics.DEAD_LETTERS.name(), "k", Topics.DEAD_LETTERS.valueSerde().serializer().serialize("t", letter));
	}

	@Test
	void shouldCountDeadLettersByTheirOriginalTopic() {
		double alerts = count(Topics.ALERTS.name());
		double other = count(DeadLetterCounter.OTHER);
		double unreadable = count(DeadLetterCounter.UNREADABLE);

		deadLetter(Topics.ALERTS.name());
		deadLetter(Topics.ALERTS.name());
		deadLetter("not.a.raylane.topic");
		produce(Topics.DEAD_LETTERS.name(), "junk", new byte[] { (byte) 0xff, 0x00, 0x13 });

		await().untilAsserted(() -> assertThat(count(DeadLetterCounter.UNREADABLE)).isEqualTo(unreadable + 1));
		assertThat(count(Topics.ALERTS.name())).isEqualTo(alerts + 2);
		assertThat(count(DeadLetterCounter.OTHER)).isEqualTo(other + 1);
	}

	@Test
	void shouldExportEveryCatalogTopicsSeriesFromTheStart() throws Exception {
		String body = get("/actuator/prometheus", ALICE).body();

		for (var topic : Topics.all()) {
			assertThat(body).contains("raylane_dead_letters_total{topic=\"" + topic.name() + "\"}");
		}
		assertThat(body).contains("# TYPE raylane_dead_letters_total counter");
	}

}
