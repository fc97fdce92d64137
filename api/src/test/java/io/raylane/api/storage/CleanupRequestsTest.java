package io.raylane.api.storage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

import io.raylane.api.errors.ApiException;
import io.raylane.topics.job.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cleanup body is read strictly (issue 16): every bad value or unknown field is a 400
 * naming the field.
 */
class CleanupRequestsTest {

	static CleanupCriteria parse(String json) {
		return CleanupRequests.parse(json.getBytes(StandardCharsets.UTF_8));
	}

	static Stream<Arguments> refusals() {
		return Stream.of(Arguments.of("an empty body", "", "job_ids"),
				Arguments.of("no selector", "{\"dry_run\":true}", "job_ids"),
				Arguments.of("an unknown field", "{\"job_id\":[\"rl-1\"]}", "job_id"),
				Arguments.of("an unknown keep field", "{\"user\":\"alice\",\"keep\":{\"checkpoints\":1}}",
						"keep.checkpoints"),
				Arguments.of("job_ids not a list", "{\"job_ids\":\"rl-1\"}", "job_ids"),
				Arguments.of("an empty job_ids", "{\"job_ids\":[]}", "job_ids"),
				Arguments.of("a job id with a slash", "{\"job_ids\":[\"../etc\"]}", "job_ids"),
				Arguments.of("older_than not a duration", "{\"older_than\":\"two weeks\"}", "older_than"),
				Arguments.of("a user with a slash", "{\"user\":\"a/b\"}", "user"),
				Arguments.of("a state not finished", "{\"states\":[\"RUNNING\"]}", "states"),
				Arguments.of("a state unknown", "{\"states\":[\"DONE\"]}", "states"),
				Arguments.of("a negative keep", "{\"user\":\"alice\",\"keep\":{\"last_checkpoints\":-1}}",
						"keep.last_checkpoints"),
				Arguments.of("keep not a number", "{\"user\":\"alice\",\"keep\":{\"last_checkpoints\":\"all\"}}",
						"keep.last_checkpoints"),
				Arguments.of("dry_run not a boolean", "{\"user\":\"alice\",\"dry_run\":\"yes\"}", "dry_run"),
				Arguments.of("a duplicate field", "{\"user\":\"alice\",\"user\":\"bob\"}", null),
				Arguments.of("not JSON", "{job_ids", null));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void refusals(String scenario, String body, String wantField) {
		assertThatThrownBy(() -> parse(body)).isInstanceOfSatisfying(ApiException.class, (ex) -> {
			assertThat(ex.status().value()).isEqualTo(400);
			assertThat(ex.field()).isEqualTo(wantField);
		});
	}

	@Test
	void shouldReadEverySelectorAndKeep() {
		CleanupCriteria criteria = parse("{\"job_ids\":[\"rl-1\",\"rl-2\",\"rl-1\"],\"older_than\":\"14d\","
				+ "\"user\":\"alice\",\"states\":[\"succeeded\",\"FAILED\"],"
				+ "\"keep\":{\"last_checkpoints\":0,\"logs\":false},\"dry_run\":true}");

		assertThat(criteria.jobIds()).containsExactly("rl-1", "rl-2");
		assertThat(criteria.olderThan()).isEqualTo(Duration.ofDays(14));
		assertThat(criteria.user()).isEqualTo("alice");
		assertThat(criteria.states()).isEqualTo(EnumSet.of(JobStatus.SUCCEEDED, JobStatus.FAILED));
		assertThat(criteria.keep()).isEqualTo(new CleanupCriteria.Keep(0, false, true));
		assertThat(criteria.dryRun()).isTrue();
	}

	@Test
	void shouldDefaultToARealRunKeepingConfigLogsAndTheLastCheckpoint() {
		CleanupCriteria criteria = parse("{\"job_ids\":[\"rl-1\"]}");

		assertThat(criteria.keep()).isEqualTo(CleanupCriteria.DEFAULT_KEEP);
		assertThat(criteria.dryRun()).isFalse();
		assertThat(criteria.jobIds()).isEqualTo(List.of("rl-1"));
	}

}
