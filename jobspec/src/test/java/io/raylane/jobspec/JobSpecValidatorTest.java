package io.raylane.jobspec;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.raylane.topics.Jobs;
import io.raylane.topics.job.FieldError;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

class JobSpecValidatorTest {

	static Stream<Arguments> invalidSpecs() {
		return Stream.of(Arguments.of("missing workload", Jobs.aJob("j").workload(null).spec(), "workload"),
				Arguments.of("unknown workload", Jobs.aJob("j").workload("dance").spec(), "workload"),
				Arguments.of("missing command", Jobs.aJob("j").command(null).spec(), "command"),
				Arguments.of("blank command", Jobs.aJob("j").command("  ").spec(), "command"),
				Arguments.of("negative GPUs", Jobs.aJob("j").gang(1, -1).spec(), "resources.n_gpus_per_node"),
				Arguments.of("zero nodes", Jobs.aJob("j").gang(0, 1).spec(), "resources.nnodes"),
				Arguments.of("pool with capitals", Jobs.aJob("j").pool("A100").spec(), "pool"),
				Arguments.of("pool with underscore", Jobs.aJob("j").pool("a_100").spec(), "pool"),
				Arguments.of("timeout that is no duration", Jobs.aJob("j").timeout("soon").spec(), "timeout"),
				Arguments.of("zero timeout", Jobs.aJob("j").timeout("0s").spec(), "timeout"),
				Arguments.of("timeout past the 30-day default limit", Jobs.aJob("j").timeout("31d").spec(), "timeout"),
				Arguments.of("timeout that overflows the clock", Jobs.aJob("j").timeout("1000000000000d").spec(),
						"timeout"),
				Arguments.of("timeout too large for a number", Jobs.aJob("j").timeout("99999999999999999999d").spec(),
						"timeout"),
				Arguments.of("env name with a dash", Jobs.aJob("j").env(Map.of("MY-VAR", "x")).spec(), "env.MY-VAR"),
				Arguments.of("name with a slash", Jobs.aJob("j").name("a/b").spec(), "name"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidSpecs")
	void shouldNameTheWrongField(String scenario, JobSpec spec, String wantField) {
		List<FieldError> errors = JobSpecValidator.validate(spec);
		assertThat(errors).extracting(FieldError::field).contains(wantField);
		assertThat(errors).allSatisfy((e) -> assertThat(e.message()).isNotBlank());
	}

	@Test
	void shouldAcceptTheSkeletonExample() {
		JobSpec spec = new JobSpec("hello", "command", "echo hello from raylane", "default", Resources.of(1, 0), "10m",
				Map.of("GREETING", "hi"));
		assertThat(JobSpecValidator.validate(spec)).isEmpty();
	}

	@Test
	void shouldCheckNodeSelectorLabels() {
		JobSpec ok = new JobSpec(null, "command", "true", null, null, null, null,
				Map.of("gpu", "a100", "example.com/zone", "z1"), null, null, null, null, null, null, null, null, null);
		JobSpec bad = new JobSpec(null, "command", "true", null, null, null, null, Map.of("gpu", "$(touch x)"), null,
				null, null, null, null, null, null, null, null);
		assertThat(JobSpecValidator.validate(ok)).isEmpty();
		assertThat(JobSpecValidator.validate(bad)).extracting(FieldError::field).containsExactly("node_selector.gpu");
	}

	@Test
	void shouldFillDefaults() {
		JobSpec spec = new JobSpec(null, "command", "true", null, null, null, null).withDefaults();
		assertThat(spec.pool()).isEqualTo("default");
		assertThat(spec.resources()).isEqualTo(Resources.of(1, 0));
		assertThat(spec.env()).isEmpty();
		assertThat(JobSpecValidator.validate(spec)).isEmpty();
	}

	@Test
	void shouldTakeTheConfiguredTimeoutLimit() {
		JobSpec twoDays = Jobs.aJob("j").timeout("2d").spec();

		assertThat(JobSpecValidator.validate(twoDays, Duration.ofDays(1))).singleElement()
			.satisfies((e) -> assertThat(e.field()).isEqualTo("timeout"))
			.satisfies((e) -> assertThat(e.message()).contains("at most 1d"));
		assertThat(JobSpecValidator.validate(twoDays, Duration.ofDays(2))).isEmpty();
		assertThat(JobSpecValidator.validate(Jobs.aJob("j").timeout("30d").spec())).isEmpty();
	}

}
