package io.raylane.api.jobs;

import java.time.Clock;
import java.util.List;

import io.raylane.support.kafka.TopicsAtStartup;
import io.raylane.support.kafka.DeadLetterPublisher;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import static org.assertj.core.api.Assertions.assertThat;

class ApiReadinessHealthIndicatorTest {

	@Test
	void shouldReportDownUntilTheJobViewHasCaughtUp() {
		JobViewStore store = new JobViewStore();
		JobStatesReader notStarted = new JobStatesReader(new KafkaProperties(), new TopicsAtStartup(List.of()), store,
				new DeadLetterPublisher((k, v) -> {
				}, "test", Clock.systemUTC()), null);

		ApiReadinessHealthIndicator health = new ApiReadinessHealthIndicator(notStarted, store, null);

		assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.health().getDetails()).containsEntry("reason", "job view still reading raylane.job-states");
	}

}
