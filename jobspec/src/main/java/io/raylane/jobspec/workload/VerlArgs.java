package io.raylane.jobspec.workload;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import io.raylane.topics.job.CheckpointSpec;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.TrainerSpec;
import io.raylane.topics.job.Workload;

/**
 * The Hydra overrides Raylane composes for a verl workload (before the user's own), each
 * tagged with the JobSpec field it comes from or {@link #OWNED} when Raylane decides it.
 * Pure; tolerates missing fields (it then leaves the key out), so validation can ask
 * which keys a spec's fields already set.
 */
final class VerlArgs {

	/** Source of the keys Raylane owns outright. */
	static final String OWNED = "(owned by Raylane)";

	static final int DEFAULT_SAVE_FREQ = 10;

	static final int DEFAULT_KEEP_LAST = 3;

	static final int DEFAULT_EPOCHS = 1;

	static final int DEFAULT_RL_BATCH = 256;

	static final int DEFAULT_SFT_BATCH = 32;

	static final int DEFAULT_MINI_BATCH = 64;

	static final int DEFAULT_MICRO_BATCH = 4;

	static final int DEFAULT_PROMPT_LENGTH = 1024;

	static final int DEFAULT_RESPONSE_LENGTH = 1024;

	static final int DEFAULT_GROUP_SIZE = 5;

	static final String DEFAULT_ROLLOUT = "vllm";

	/** One {@code key=value} and the field it comes from. */
	record Arg(String key, String value, String field) {

		String text() {
			return this.key + "=" + this.value;
		}

	}

	private final List<Arg> args = new ArrayList<>();

	private VerlArgs() {
	}

	static List<Arg> of(JobSpec spec, ComposeContext ctx) {
		VerlArgs a = new VerlArgs();
		Workload workload = Workload.parse(spec.workload()).orElse(Workload.PPO);
		if (workload == Workload.SFT) {
			a.sft(spec, ctx);
		}
		else {
			a.rl(spec, workload == Workload.GRPO, ctx);
		}
		return a.args;
	}

	private void rl(JobSpec spec, boolean grpo, ComposeContext ctx) {
		TrainerSpec t = trainer(spec);
		add("algorithm.adv_estimator", grpo ? "grpo" : "gae", "workload");
		data(spec, true);
		add("data.train_batch_size", or(t.trainBatchSize(), DEFAULT_RL_BATCH), "trainer.train_batch_size");
		add("data.max_prompt_length", or(t.maxPromptLength(), DEFAULT_PROMPT_LENGTH), "trainer.max_prompt_length");
		add("data.max_response_length", or(t.maxResponseLength(), DEFAULT_RESPONSE_LENGTH),
				"trainer.max_response_length");
		String model = (spec.model() != null) ? spec.model().path() : null;
		add("actor_rollout_ref.model.path", model, "model.path");
		add("actor_rollout_ref.actor.optim.lr", number(t.learningRate()), "trainer.learning_rate");
		add("actor_rollout_ref.actor.ppo_mini_batch_size", or(t.ppoMiniBatchSize(), DEFAULT_MINI_BATCH),
				"trainer.ppo_mini_batch_size");
		int micro = or(t.microBatchSizePerGpu(), DEFAULT_MICRO_BATCH);
		add("actor_rollout_ref.actor.ppo_micro_batch_size_per_gpu", micro, "trainer.micro_batch_size_per_gpu");
		if (grpo) {
			// KL as a loss term, not a reward penalty (docs/reference/verl.md §2); it
			// turns the reference model on
			add("actor_rollout_ref.actor.use_kl_loss", "True", "workload");
			add("actor_rollout_ref.actor.kl_loss_coef", "0.001", "workload");
			add("actor_rollout_ref.actor.kl_loss_type", "low_var_kl", "workload");
			add("algorithm.use_kl_in_reward", "False", "workload");
			add("actor_rollout_ref.ref.log_prob_micro_batch_size_per_gpu", micro, "trainer.micro_batch_size_per_gpu");
		}
		add("actor_rollout_ref.rollout.name", (t.rolloutName() != null) ? t.rolloutName() : DEFAULT_ROLLOUT,
				"trainer.rollout_name");
		Integer n = grpo ? Integer.valueOf(or(t.rolloutN(), DEFAULT_GROUP_SIZE)) : t.rolloutN();
		add("actor_rollout_ref.rollout.n", n, "trainer.rollout_n");
		add("actor_rollout_ref.rollout.tensor_model_parallel_size", or(t.tensorModelParallelSize(), 1),
				"trainer.tensor_model_parallel_size");
		add("actor_rollout_ref.rollout.gpu_memory_utilization", number(t.gpuMemoryUtilization()),
				"trainer.gpu_memory_utilization");
		add("actor_rollout_ref.rollout.log_prob_micro_batch_size_per_gpu", micro, "trainer.micro_batch_size_per_gpu");
		if (!grpo) {
			add("critic.model.path", model, "model.path");
			add("critic.ppo_micro_batch_size_per_gpu", micro, "trainer.micro_batch_size_per_gpu");
		}
		if (spec.reward() != null) {
			add("custom_reward_function.path", spec.reward().path(), "reward.path");
			add("custom_reward_function.name", RewardSource.functionOrDefault(spec.reward().function()),
					"reward.function");
		}
		add("trainer.nnodes", spec.resourcesOrDefault().nodes(), OWNED);
		add("trainer.n_gpus_per_node", spec.resourcesOrDefault().gpusPerNode(), OWNED);
		length(t);
		add("trainer.test_freq", t.testFreq(), "trainer.test_freq");
		add("trainer.val_before_train", bool(t.valBeforeTrain()), "trainer.val_before_train");
		common(spec, t, ctx);
	}

	private void sft(JobSpec spec, ComposeContext ctx) {
		TrainerSpec t = trainer(spec);
		data(spec, false);
		add("data.train_batch_size", or(t.trainBatchSize(), DEFAULT_SFT_BATCH), "trainer.train_batch_size");
		add("data.micro_batch_size_per_gpu", or(t.microBatchSizePerGpu(), DEFAULT_MICRO_BATCH),
				"trainer.micro_batch_size_per_gpu");
		add("data.max_length", t.maxLength(), "trainer.max_length");
		add("model.path", (spec.model() != null) ? spec.model().path() : null, "model.path");
		add("optim.lr", number(t.learningRate()), "trainer.learning_rate");
		if (WorkloadComposer.raySft(spec)) {
			// only the Ray trainer reads them; torchrun's --nnodes/--nproc_per_node size
			// the other
			add("trainer.nnodes", spec.resourcesOrDefault().nodes(), OWNED);
			add("trainer.n_gpus_per_node", spec.resourcesOrDefault().gpusPerNode(), OWNED);
		}
		length(t);
		add("trainer.test_freq", t.testFreq(), "trainer.test_freq");
		common(spec, t, ctx);
	}

	private void data(JobSpec spec, boolean valRequired) {
		List<String> train = (spec.data() != null) ? spec.data().trainFiles() : null;
		List<String> val = (spec.data() != null) ? spec.data().valFiles() : null;
		add("data.train_files", files(train), "data.train_files");
		// PPO/GRPO always build a validation set and refuse an empty one: reuse the train
		// files (reference §1)
		boolean noVal = val == null || val.isEmpty();
		add("data.val_files", files(noVal && valRequired ? train : val), "data.val_files");
	}

	private void length(TrainerSpec t) {
		if (t.totalTrainingSteps() != null) {
			add("trainer.total_training_steps", t.totalTrainingSteps(), "trainer.total_training_steps");
		}
		add("trainer.total_epochs", or(t.totalEpochs(), DEFAULT_EPOCHS), "trainer.total_epochs");
	}

	private void common(JobSpec spec, TrainerSpec t, ComposeContext ctx) {
		CheckpointSpec c = spec.checkpoint();
		add("trainer.save_freq", or((c != null) ? c.saveFreq() : null, DEFAULT_SAVE_FREQ), "checkpoint.save_freq");
		add("trainer.resume_mode", (t.resumeMode() != null) ? t.resumeMode() : "auto", "trainer.resume_mode");
		add("trainer.default_local_dir", ctx.jobDir() + "/checkpoints", OWNED);
		boolean wandb = spec.wandb() != null && Boolean.TRUE.equals(spec.wandb().enabled());
		String project = (wandb && spec.wandb().project() != null) ? spec.wandb().project() : "raylane-" + ctx.user();
		String run = (wandb && spec.wandb().runName() != null) ? spec.wandb().runName() : ctx.jobId();
		add("trainer.project_name", HydraNames.sanitize(project), OWNED);
		add("trainer.experiment_name", HydraNames.sanitize(run), OWNED);
		add("trainer.logger", wandb ? "[console,wandb]" : "[console]", OWNED);
	}

	private void add(String key, Object value, String field) {
		if (value != null) {
			this.args.add(new Arg(key, String.valueOf(value), field));
		}
	}

	static TrainerSpec trainer(JobSpec spec) {
		return (spec.trainer() != null) ? spec.trainer() : new TrainerSpec(null, null);
	}

	private static int or(Integer value, int otherwise) {
		return (value != null) ? value : otherwise;
	}

	/**
	 * Plain decimal (no exponent), so Hydra reads a float whatever the grammar's exponent
	 * rules.
	 */
	static String number(Double value) {
		return (value != null) ? BigDecimal.valueOf(value).stripTrailingZeros().toPlainString() : null;
	}

	private static String bool(Boolean value) {
		return (value != null) ? (value ? "True" : "False") : null;
	}

	/** One file as itself, several as a Hydra list {@code [a,b]}. */
	private static String files(List<String> files) {
		if (files == null || files.isEmpty()) {
			return null;
		}
		return (files.size() == 1) ? files.get(0) : "[" + String.join(",", files) + "]";
	}

}
