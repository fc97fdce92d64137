package io.raylane.jobspec.workload;

import java.util.List;
import java.util.stream.Stream;

import io.raylane.jobspec.JobSpecValidator;
import io.raylane.topics.job.FieldError;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.TrainerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code resume_from} / {@code resume_step} as the spec alone decides them (issue 13 item
 * 4), and the resume keys composed for every version and workload. The earlier job's own
 * checks are the API's ({@code ResumeRulesTest}).
 */
class ResumeSpecTest {

	static final String EARLIER = "rl-earlier-1";

	static Stream<Arguments> refusals() {
		JobSpec ppo = resume(VerlSpecs.minimal("ppo", "0.9"), 30);
		return Stream.of(
				Arguments.of("a command job", resume(WorkloadValidationTest.JobSpecWith.command(), 30), "resume_from",
						"only for verl workloads"),
				Arguments.of("a step without an earlier job",
						WorkloadValidationTest.with(VerlSpecs.minimal("ppo", "0.9"), "resume_step", 30), "resume_step",
						"needs resume_from"),
				Arguments.of("not a job id", WorkloadValidationTest.with(ppo, "resume_from", "../bob/x"), "resume_from",
						"is not a job id"),
				Arguments.of("step zero", WorkloadValidationTest.with(ppo, "resume_step", 0), "resume_step",
						"at least 1"),
				Arguments.of("a resume mode as well",
						WorkloadValidationTest.with(ppo, "trainer",
								new TrainerSpec(null, null, null, null, null, null, null, null, null, null, null, null,
										null, null, null, "auto")),
						"trainer.resume_mode", "leave trainer.resume_mode out"),
				Arguments.of("the resume path by hand",
						WorkloadValidationTest.with(VerlSpecs.minimal("ppo", "0.9"), "overrides",
								List.of("trainer.resume_from_path=/shared/jobs/rl-bob/checkpoints/global_step_5")),
						"overrides[0]", "'resume_from'"),
				Arguments.of("resume_path mode by hand",
						WorkloadValidationTest.with(VerlSpecs.minimal("sft", "0.7"), "overrides",
								List.of("trainer.resume_mode=resume_path")),
						"overrides[0]", "'resume_from'"),
				Arguments.of("the resume path appended by hand",
						WorkloadValidationTest.with(VerlSpecs.minimal("grpo", "0.6.1"), "overrides",
								List.of("++trainer.resume_from_path=/shared/jobs/x/checkpoints/global_step_5")),
						"overrides[0]", "'resume_from'"),
				Arguments.of("the loader's delete while resuming",
						WorkloadValidationTest.with(ppo, "overrides",
								List.of("trainer.del_local_ckpt_after_load=True")),
						"overrides[0]", "owned by Raylane"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("refusals")
	void shouldRefuseNamingTheField(String scenario, JobSpec spec, String wantField, String wantMessage) {
		List<FieldError> errors = JobSpecValidator.validate(spec);

		assertThat(errors).filteredOn((e) -> e.field().equals(wantField))
			.singleElement()
			.satisfies((e) -> assertThat(e.message()).contains(wantMessage));
	}

	@ParameterizedTest(name = "{0} on verl {1}")
	@CsvSource(delimiter = '|', textBlock = """
			ppo  | 0.9   | true
			grpo | 0.9   | true
			sft  | 0.9   | false
			ppo  | 0.8   | true
			sft  | 0.8   | false
			ppo  | 0.7   | true
			sft  | 0.7   | false
			grpo | 0.6.1 | true
			sft  | 0.6.1 | false
			""")
	void shouldComposeTheResumeKeysEveryVersionReads(String workload, String version, boolean rl) {
		JobSpec spec = resume(VerlSpecs.minimal(workload, version), 30);

		List<String> overrides = WorkloadComposer.overrides(spec, VerlSpecs.CONTEXT);

		assertThat(JobSpecValidator.validate(spec)).isEmpty();
		assertThat(overrides)
			.contains("trainer.resume_mode=resume_path",
					"trainer.resume_from_path=/shared/jobs/" + EARLIER + "/checkpoints/global_step_30",
					"trainer.default_local_dir=/shared/jobs/j-42/checkpoints")
			.doesNotContain("trainer.resume_mode=auto");
		if (rl) {
			assertThat(overrides).contains("trainer.del_local_ckpt_after_load=False");
		}
		else {
			assertThat(overrides).noneMatch((o) -> o.startsWith("trainer.del_local_ckpt_after_load"));
		}
		assertThat(overrides.stream().filter((o) -> o.startsWith("trainer.resume_"))).as("each key once").hasSize(2);
	}

	@Test
	void shouldComposeNoResumeKeysWithoutResumeFrom() {
		List<String> overrides = WorkloadComposer.overrides(VerlSpecs.minimal("ppo", "0.9"), VerlSpecs.CONTEXT);

		assertThat(overrides).contains("trainer.resume_mode=auto")
			.noneMatch((o) -> o.startsWith("trainer.resume_from_path") || o.startsWith("trainer.del_local"));
	}

	@Test
	void shouldLeaveThePathOutUntilTheStepIsKnown() {
		JobSpec spec = WorkloadValidationTest.with(VerlSpecs.minimal("ppo", "0.9"), "resume_from", EARLIER);

		assertThat(JobSpecValidator.validate(spec)).isEmpty();
		assertThat(WorkloadComposer.overrides(spec, VerlSpecs.CONTEXT)).contains("trainer.resume_mode=resume_path")
			.noneMatch((o) -> o.startsWith("trainer.resume_from_path"));
	}

	static JobSpec resume(JobSpec spec, int step) {
		return WorkloadValidationTest.with(WorkloadValidationTest.with(spec, "resume_from", EARLIER), "resume_step",
				step);
	}

}
