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

	@Test
	void shouldRefuseNumbersTooLargeForADurationInsteadOfThrowing() {
		// issue 12 item 1: "99999999999999999999d" overflowed Long.parseLong and answered
		// 500
		assertThat(Durations.parse("99999999999999999999d")).isEmpty();
		assertThat(Durations.parse("9999999999999999999s")).isEmpty();
		assertThat(Durations.parse("106751991167301d")).isEmpty();
		assertThat(Durations.parse("PT99999999999999999999S")).isEmpty();
		assertThat(Durations.parse("1000000000000d")).contains(Duration.ofDays(1000000000000L));
	}

	@Test
	void shouldAnswerAlikeWhenAskedAgainAndPastTheRememberedTexts() {
		// the answers are remembered (the scheduler reads each queued job's timeout per
		// cycle): asked again, or after more than the remembered texts, alike
		for (int i = 0; i < 3000; i++) {
			assertThat(Durations.parse(i + "m")).contains(Duration.ofMinutes(i));
			assertThat(Durations.parse(i + " m")).isEmpty();
		}
		assertThat(Durations.parse("2h30m")).contains(Duration.ofMinutes(150));
		assertThat(Durations.parse("2h30m")).contains(Duration.ofMinutes(150));
		assertThat(Durations.parse(null)).isEmpty();
		assertThat(Durations.parse("  ")).isEmpty();
	}

}
