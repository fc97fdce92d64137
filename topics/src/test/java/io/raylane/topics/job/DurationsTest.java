package io.raylane.topics.job;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The duration syntax of a JobSpec's {@code timeout} (moved from JobSpecValidatorTest
 * with the validator).
 */
class DurationsTest {

	@Test
	void shouldParseDurations() {
		assertThat(Durations.parse("10m")).contains(Duration.ofMinutes(10));
		assertThat(Durations.parse("2h30m")).contains(Duration.ofMinutes(150));
		assertThat(Durations.parse("1d")).contains(Duration.ofDays(1));
		assertThat(Durations.parse("90s")).contains(Duration.ofSeconds(90));
		assertThat(Durations.parse("PT1H")).contains(Duration.ofHours(1));
		assertThat(Durations.parse("10 minutes")).isEmpty();
		assertThat(Durations.parse("")).isEmpty();
	}

}
