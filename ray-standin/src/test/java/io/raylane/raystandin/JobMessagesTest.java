package io.raylane.raystandin;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JobMessagesTest {

	@Test
	void shouldComposeThePendingMessageLikeJobInfo() {
		assertThat(JobMessages.pending(ResourceRequest.NONE, null)).isEqualTo("Job has not started yet.");
		assertThat(JobMessages.pending(ResourceRequest.NONE, Map.of())).isEqualTo("Job has not started yet.");
		assertThat(JobMessages.pending(new ResourceRequest(0, 1, 0, Map.of()), Map.of("env_vars", Map.of())))
			.isEqualTo("Job has not started yet. It may be waiting for resources (CPUs, GPUs, memory, custom resources)"
					+ " to become available. It may be waiting for the runtime environment to be set up.");
	}

	@Test
	void shouldQuoteTheLogTailOnAFailedExit() {
		assertThat(JobMessages.exitFailure(3, "boom\n")).isEqualTo(
				"Job entrypoint command failed with exit code 3, last available logs (truncated to 20,000 chars):\nboom\n");
		assertThat(JobMessages.exitFailure(1, ""))
			.isEqualTo("Job entrypoint command failed with exit code 1. No logs available.");
	}

	@Test
	void shouldKeepOnlyTheLast20000CharactersOfTheLog() {
		String log = "x".repeat(5) + "y".repeat(20_000);

		String message = JobMessages.exitFailure(1, log);

		assertThat(message).endsWith("chars):\n" + "y".repeat(20_000));
	}

	@Test
	void shouldExplainTheStartTimeoutLikeRay() {
		assertThat(JobMessages.startTimeout(Duration.ofSeconds(900), false))
			.isEqualTo("Job supervisor actor failed to start within 900.0 seconds. This timeout can be configured by"
					+ " setting the environment variable RAY_JOB_START_TIMEOUT_SECONDS.");
		assertThat(JobMessages.startTimeout(Duration.ofMillis(1500), true))
			.startsWith("Job supervisor actor failed to start within 1.5 seconds.")
			.contains("entrypoint_memory)aren't available on the cluster.");
	}

}
