package io.raylane.jobspec.workload;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import io.raylane.jobspec.JobSpecValidator;
import io.raylane.topics.job.DataSpec;
import io.raylane.topics.job.FieldError;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.ModelSpec;
import io.raylane.topics.job.Resources;
import io.raylane.topics.job.RewardSpec;
import io.raylane.topics.job.TrainerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spec rules of verl workloads and the storage policy, each refusal naming its field.
 */
class WorkloadValidationTest {

	static Stream<Arguments> refusals() {
		return Stream.of(Arguments.of("unknown version", edit((s) -> with(s, "verl_version", "0.4")), "verl_version"),
				Arguments.of("missing model", edit((s) -> with(s, "model", null)), "model.path"),
				Arguments.of("no GPU", edit((s) -> with(s, "resources", Resources.of(1, 0))),
						"resources.n_gpus_per_node"),
				Arguments.of("relative path", edit((s) -> with(s, "model", new ModelSpec("models/q"))), "model.path"),
				Arguments.of("outside root", edit((s) -> with(s, "model", new ModelSpec("/etc/passwd"))), "model.path"),
				Arguments.of("dot-dot",
						edit((s) -> with(s, "data", new DataSpec(List.of("/shared/common/../../etc/x.parquet"), null))),
						"data.train_files[0]"),
				Arguments.of("hydra-unsafe path",
						edit((s) -> with(s, "data", new DataSpec(List.of("/shared/common/a,b.parquet"), null))),
						"data.train_files[0]"),
				Arguments.of("other user's dataset (issue 12)", edit(
						(s) -> with(s, "data", new DataSpec(List.of("/shared/users/bob/datasets/x.parquet"), null))),
						"data.train_files[0]"),
				Arguments.of("other user's validation set (issue 12)",
						edit((s) -> with(s, "data",
								new DataSpec(List.of("/shared/common/datasets/t.parquet"),
										List.of("/shared/users/bob/datasets/v.parquet")))),
						"data.val_files[0]"),
				Arguments.of("other user's model (issue 12)",
						edit((s) -> with(s, "model", new ModelSpec("/shared/users/bob/models/m"))), "model.path"),
				Arguments.of("other user's code", edit((s) -> with(s, "code_path", "/shared/users/bob/code/v1")),
						"code_path"),
				Arguments.of("code outside code folders", edit((s) -> with(s, "code_path", "/shared/common/models/x")),
						"code_path"),
				Arguments.of("other user's reward",
						edit((s) -> with(s, "reward", new RewardSpec("/shared/users/bob/code/r.py", "f"))),
						"reward.path"),
				Arguments.of("reward not .py",
						edit((s) -> with(s, "reward", new RewardSpec("/shared/users/ana/code/r.txt", "f"))),
						"reward.path"),
				Arguments.of("override not key=value", edit((s) -> with(s, "overrides", List.of("trainer.save_freq"))),
						"overrides[0]"),
				Arguments.of("override deletion", edit((s) -> with(s, "overrides", List.of("~trainer.logger"))),
						"overrides[0]"),
				Arguments.of("owned key", edit((s) -> with(s, "overrides", List.of("trainer.default_local_dir=/tmp"))),
						"overrides[0]"),
				Arguments.of("owned key appended", edit((s) -> with(s, "overrides", List.of("++trainer.nnodes=4"))),
						"overrides[0]"),
				Arguments.of("key a given field sets",
						edit((s) -> with(with(s, "trainer", trainer(128, null)), "overrides",
								List.of("data.train_batch_size=9"))),
						"overrides[0]"),
				Arguments.of("the workload's estimator",
						edit((s) -> with(s, "overrides", List.of("algorithm.adv_estimator=grpo"))), "overrides[0]"),
				Arguments.of("a key verl 0.9 has no more",
						edit((s) -> with(with(s, "verl_version", "0.9"), "overrides",
								List.of("trainer.use_legacy_worker_impl=auto"))),
						"overrides[0]"),
				Arguments.of("0.9's reward key on 0.7",
						edit((s) -> with(with(s, "verl_version", "0.7"), "overrides",
								List.of("reward.custom_reward_function.path=/shared/users/ana/code/r.py"))),
						"overrides[0]"),
				Arguments.of("mini batch above a batch set by override",
						edit((s) -> with(s, "overrides", List.of("data.train_batch_size=32"))),
						"trainer.ppo_mini_batch_size"),
				Arguments.of("unknown plain key", edit((s) -> with(s, "overrides", List.of("trainer.made_up=1"))),
						"overrides[0]"),
				Arguments.of("Hydra's output folder moved out of the job (issue 12)",
						edit((s) -> with(s, "overrides", List.of("++hydra.run.dir=/shared/users/bob/x"))),
						"overrides[0]"),
				Arguments.of("Hydra's output subfolder moved (issue 12)",
						edit((s) -> with(s, "overrides", List.of("hydra.output_subdir=/tmp/hydra"))), "overrides[0]"),
				Arguments.of("Hydra's log file moved (issue 12)",
						edit((s) -> with(s, "overrides",
								List.of("+hydra.job_logging.handlers.file.filename=/tmp/x.log"))),
						"overrides[0]"),
				Arguments.of("mini batch above batch", edit((s) -> with(s, "trainer", trainer(16, 32))),
						"trainer.ppo_mini_batch_size"),
				Arguments.of("verl field on a command", JobSpecWith.command(), "model"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("refusals")
	void shouldRefuseWithTheFieldPath(String name, JobSpec spec, String field) {
		List<FieldError> errors = JobSpecValidator.validate(spec, "ana", Path.of("/shared"));

		assertThat(errors).extracting(FieldError::field).contains(field);
	}

	@Test
	void shouldRefuseMultiNodeSftWhereTheVersionHasNoRayTrainer() {
		JobSpec sft = with(VerlSpecs.minimal("sft", "0.6.1"), "resources", Resources.of(2, 8));

		assertThat(JobSpecValidator.validate(sft)).singleElement()
			.satisfies((e) -> assertThat(e.field()).isEqualTo("resources.nnodes"))
			.satisfies((e) -> assertThat(e.message()).contains("torchrun on one node"));
		assertThat(JobSpecValidator.validate(with(sft, "verl_version", "0.7"))).isEmpty();
	}

	@Test
	void shouldAcceptOwnCodeCommonCodeAndNewKeysWithPlusPlus() {
		JobSpec spec = with(with(VerlSpecs.minimal("grpo", null), "code_path", "/shared/common/code/verl-main"),
				"overrides",
				List.of("actor_rollout_ref.actor.entropy_coeff=0", "++reward.custom_reward_function.reward_kwargs.a=1",
						"global_profiler.global_tool_config.nsys.worker_nsight_options.capture-range=cudaProfilerApi"));

		assertThat(JobSpecValidator.validate(spec, "ana", Path.of("/shared"))).isEmpty();
		assertThat(JobSpecValidator.validate(with(spec, "code_path", "/shared/users/ana/code/v2"), "ana",
				Path.of("/shared")))
			.isEmpty();
	}

	@Test
	void shouldLetAnOverrideReplaceADefaultOrDerivedValue() {
		JobSpec spec = with(VerlSpecs.minimal("grpo", "0.9"), "overrides",
				List.of("data.train_batch_size=128", "actor_rollout_ref.rollout.log_prob_micro_batch_size_per_gpu=8",
						"actor_rollout_ref.actor.kl_loss_coef=0.01"));

		List<String> composed = WorkloadComposer.overrides(spec, VerlSpecs.CONTEXT);

		assertThat(JobSpecValidator.validate(spec)).isEmpty();
		assertThat(composed)
			.contains("data.train_batch_size=128", "actor_rollout_ref.rollout.log_prob_micro_batch_size_per_gpu=8",
					"actor_rollout_ref.actor.kl_loss_coef=0.01",
					"actor_rollout_ref.actor.ppo_micro_batch_size_per_gpu=4")
			.doesNotContain("data.train_batch_size=256",
					"actor_rollout_ref.rollout.log_prob_micro_batch_size_per_gpu=4",
					"actor_rollout_ref.actor.kl_loss_coef=0.001");
	}

	@ParameterizedTest(name = "{0} {1}")
	@CsvSource(delimiter = '|',
			textBlock = """
					0.9 | custom_reward_function.path=/shared/users/ana/code/r.py | never read      | reward.custom_reward_function.path
					0.9 | custom_reward_function.name=score                       | never read      | reward.custom_reward_function.name
					0.9 | ++custom_reward_function.reward_kwargs.a=1              | never read      | reward.custom_reward_function.reward_kwargs.a
					0.9 | reward_model.num_workers=2                              | never read      | reward.num_workers
					0.9 | reward_model.model.trust_remote_code=True               | never read      | no key replaces it
					0.8 | custom_reward_function.path=/shared/users/ana/code/r.py | moves at start  | reward.custom_reward_function.path
					0.8 | reward_model.model.path=/shared/common/models/rm        | moves at start  | reward.reward_model.model_path
					""")
	void shouldRefuseTheOldRewardKeysNamingTheKeyThatReplacedThem(String version, String override, String why,
			String replacement) {
		JobSpec spec = with(VerlSpecs.minimal("ppo", version), "overrides", List.of(override));

		assertThat(JobSpecValidator.validate(spec)).singleElement().satisfies((e) -> {
			assertThat(e.field()).isEqualTo("overrides[0]");
			assertThat(e.message()).contains(why, replacement);
		});
	}

	@Test
	void shouldComposeTheRewardKeysTheVersionReads() {
		for (String version : List.of("0.9", "0.8", "0.7", "0.6.1")) {
			JobSpec spec = with(VerlSpecs.minimal("ppo", version), "reward",
					new RewardSpec("/shared/users/ana/code/r.py", null));
			String prefix = version.startsWith("0.9") || version.startsWith("0.8") ? "reward.custom_reward_function"
					: "custom_reward_function";

			assertThat(WorkloadComposer.overrides(spec, VerlSpecs.CONTEXT)).as(version)
				.contains(prefix + ".path=/shared/users/ana/code/r.py", prefix + ".name=compute_score");
		}
	}

	@Test
	void shouldFindTheRewardFunctionInThePythonSource() {
		String source = "import re\n\ndef helper(x):\n    return x\n\nasync def compute_score(data_source, solution_str, **kw):\n    return 1.0\n";

		assertThat(RewardSource.defines(source, "compute_score")).isTrue();
		assertThat(RewardSource.defines(source, "helper")).isTrue();
		assertThat(RewardSource.defines(source, "score")).isFalse();
		assertThat(RewardSource.defines("class A:\n    def score(self):\n        pass\n", "score")).isFalse();
	}

	private static JobSpec edit(UnaryOperator<JobSpec> change) {
		return change.apply(VerlSpecs.minimal("ppo", "0.7"));
	}

	private static TrainerSpec trainer(Integer batch, Integer mini) {
		return new TrainerSpec(null, null, batch, mini, null, null, null, null, null, null, null, null, null, null,
				null, null);
	}

	/** The spec with one field replaced (snake_case name). */
	static JobSpec with(JobSpec s, String field, Object value) {
		return new JobSpec(s.name(), s.workload(), s.command(), s.pool(),
				field.equals("resources") ? (Resources) value : s.resources(), s.timeout(), s.env(), s.nodeSelector(),
				field.equals("verl_version") ? (String) value : s.verlVersion(),
				field.equals("model") ? (ModelSpec) value : s.model(),
				field.equals("data") ? (DataSpec) value : s.data(),
				field.equals("trainer") ? (TrainerSpec) value : s.trainer(), s.checkpoint(),
				field.equals("code_path") ? (String) value : s.codePath(),
				field.equals("reward") ? (RewardSpec) value : s.reward(), s.wandb(),
				field.equals("overrides") ? castList(value) : s.overrides(),
				field.equals("resume_from") ? (String) value : s.resumeFrom(),
				field.equals("resume_step") ? (Integer) value : s.resumeStep());
	}

	@SuppressWarnings("unchecked")
	private static List<String> castList(Object value) {
		return (List<String>) value;
	}

	/** A command spec carrying a verl-only field. */
	static final class JobSpecWith {

		static JobSpec command() {
			return new JobSpec("c", "command", "echo hi", null, null, null, Map.of(), null, null,
					new ModelSpec("/shared/common/models/x"), null, null, null, null, null, null, null);
		}

	}

}
