package io.raylane.jobspec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.raylane.topics.Jobs;
import io.raylane.topics.job.DataSpec;
import io.raylane.topics.job.FieldError;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.ModelSpec;
import io.raylane.topics.job.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 "No record too large to write": what a JobSpec may carry, in bytes of JSON.
 */
class JobSpecSizesTest {

	static final int KIB = 1024;

	static Map<String, String> env(int bytes) {
		Map<String, String> env = new HashMap<>();
		for (int i = 0; bytes > 0; i++) {
			int size = Math.min(bytes, 32 * KIB);
			env.put("V" + i, "x".repeat(size));
			bytes -= size;
		}
		return env;
	}

	static Map<String, String> selector(int labels) {
		Map<String, String> selector = new HashMap<>();
		for (int i = 0; i < labels; i++) {
			selector.put("example.com/label-" + i, "v".repeat(63));
		}
		return selector;
	}

	/**
	 * A PPO job whose overrides are all single quotes: each becomes '\'' in the shell.
	 */
	static JobSpec ppoWithQuotes(int quotes, Map<String, String> env) {
		return ppo(List.of("++trainer.note=" + "'".repeat(quotes)), env);
	}

	static JobSpec ppo(List<String> overrides, Map<String, String> env) {
		return new JobSpec("big", "ppo", null, "default", Resources.of(1, 8), null, env, null, null,
				new ModelSpec("/shared/common/models/m"), new DataSpec(List.of("/shared/common/d/train.parquet"), null),
				null, null, null, null, null, overrides);
	}

	static Stream<Arguments> tooLarge() {
		return Stream.of(
				// the reproduction of issue 12: a 600 KB env was accepted
				Arguments.of("an env of 600 KB", Jobs.aJob("j").env(env(600 * KIB)).spec(), "env"),
				Arguments.of("a command of 70 KB", Jobs.aJob("j").command("x".repeat(70 * KIB)).spec(), "command"),
				// bytes, not characters: each control character is six bytes of JSON
				Arguments.of("a command of 20 K control characters",
						Jobs.aJob("j").command("\u0001".repeat(20 * KIB)).spec(), "command"),
				Arguments.of("overrides of 70 KB", ppo(List.of("++trainer.note=" + "y".repeat(70 * KIB)), null),
						"overrides"),
				// each part within its limit, the whole not
				Arguments.of("a node selector of 3000 labels",
						new JobSpec(null, "command", "true", null, null, null, null, selector(3000), null, null, null,
								null, null, null, null, null, null),
						"node_selector"),
				// the dispatch record: the quotes grow fivefold in its entrypoint
				Arguments.of("overrides that quoting makes a 600 KB dispatch record",
						ppoWithQuotes(60 * KIB, env(120 * KIB)), "overrides"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void tooLarge(String scenario, JobSpec spec, String wantField) {
		List<FieldError> errors = JobSpecValidator.validate(spec);

		assertThat(errors).extracting(FieldError::field).containsExactly(wantField);
		assertThat(errors.get(0).message()).contains("KiB");
	}

	@Test
	void shouldAcceptEachPartAtItsLimit() {
		JobSpec spec = Jobs.aJob("j").command("x".repeat(60 * KIB)).env(env(120 * KIB)).spec();

		assertThat(JobSpecValidator.validate(spec)).isEmpty();
		assertThat(JobSpecSizes.dispatchBytes(spec)).isLessThan(JobSpecSizes.MAX_DISPATCH_BYTES);
	}

	@Test
	void shouldKeepEveryAcceptedCommandJobsDispatchRecordUnderTheLimit() {
		// the largest command job the part limits allow: its dispatch record still fits
		JobSpec spec = Jobs.aJob("j")
			.command("\u0001".repeat(JobSpecSizes.MAX_COMMAND_BYTES / 6 - 2))
			.env(env(JobSpecSizes.MAX_ENV_BYTES - 8 * KIB))
			.spec();

		assertThat(JobSpecValidator.validate(spec)).isEmpty();
		assertThat(JobSpecSizes.dispatchBytes(spec)).isLessThan(JobSpecSizes.MAX_DISPATCH_BYTES);
	}

	@Test
	void shouldLeaveNoBulkInTheSpecOfARejection() {
		JobSpec big = Jobs.aJob("j").env(env(900 * KIB)).spec();

		assertThat(JobSpecSizes.tooLarge(big)).isTrue();
		JobSpec trimmed = JobSpecSizes.withoutBulk(big);
		assertThat(JobSpecSizes.tooLarge(trimmed)).isFalse();
		assertThat(trimmed.env()).isNull();
		assertThat(trimmed.pool()).isEqualTo(big.pool());
	}

}
