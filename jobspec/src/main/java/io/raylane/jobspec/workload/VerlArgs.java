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
 * tagged with the JobSpec field it comes from and how: {@link Kind#OWNED} when Raylane
 * decides it, {@link Kind#FIELD} when it is the verl key of a field the spec gives,
 * {@link Kind#DEFAULT} when it is a default or derived from another field (a user's
 * override of that key replaces it). Keys and their spelling are the version's
 * ({@link VerlVersion}). Pure; tolerates missing fields (it then leaves the key out), so
 * validation can ask which keys a spec's fields already set.
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

	/** How a composed key came about, which decides whether a user may override it. */
	enum Kind {

		/** Raylane decides it: never overridden. */
		OWNED,
		/** The verl key of a field the spec gives: set the field instead. */
		FIELD,
		/**
		 * A default, or derived from a field whose own key is another one: a user's
		 * override of this key replaces it.
		 */
		DEFAULT

	}

	/** One {@code key=value}, the field it comes from and how. */
	record Arg(String key, String value, String field, Kind kind) {

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
		VerlVersion version = version(spec);
		field("algorithm.adv_estimator", grpo ? "grpo" : "gae", null, "workload");
		data(spec, true);
		field("data.train_batch_size", t.trainBatchSize(), DEFAULT_RL_BATCH, "trainer.train_batch_size");
		field("data.max_prompt_length", t.maxPromptLength(), DEFAULT_PROMPT_LENGTH, "trainer.max_prompt_length");
		field("data.max_response_length", t.maxResponseLength(), DEFAULT_RESPONSE_LENGTH,
				"trainer.max_response_length");
		String model = (spec.model() != null) ? spec.model().path() : null;
		field("actor_rollout_ref.model.path", model, null, "model.path");
		field("actor_rollout_ref.actor.optim.lr", number(t.learningRate()), null, "trainer.learning_rate");
		field("actor_rollout_ref.actor.ppo_mini_batch_size", t.ppoMiniBatchSize(), DEFAULT_MINI_BATCH,
				"trainer.ppo_mini_batch_size");
		int micro = or(t.microBatchSizePerGpu(), DEFAULT_MICRO_BATCH);
		field("actor_rollout_ref.actor.ppo_micro_batch_size_per_gpu", t.microBatchSizePerGpu(), DEFAULT_MICRO_BATCH,
				"trainer.micro_batch_size_per_gpu");
		if (grpo) {
			// KL as a loss term, not a reward penalty (docs/reference/verl.md §2); it
			// turns the reference model on
			derived("actor_rollout_ref.actor.use_kl_loss", "True", "workload");
			derived("actor_rollout_ref.actor.kl_loss_coef", "0.001", "workload");
			derived("actor_rollout_ref.actor.kl_loss_type", "low_var_kl", "workload");
			derived("algorithm.use_kl_in_reward", "False", "workload");
			derived("actor_rollout_ref.ref.log_prob_micro_batch_size_per_gpu", micro,
					"trainer.micro_batch_size_per_gpu");
		}
		field("actor_rollout_ref.rollout.name", t.rolloutName(), DEFAULT_ROLLOUT, "trainer.rollout_name");
		field("actor_rollout_ref.rollout.n", t.rolloutN(), grpo ? Integer.valueOf(DEFAULT_GROUP_SIZE) : null,
				"trainer.rollout_n");
		field("actor_rollout_ref.rollout.tensor_model_parallel_size", t.tensorModelParallelSize(), 1,
				"trainer.tensor_model_parallel_size");
		field("actor_rollout_ref.rollout.gpu_memory_utilization", number(t.gpuMemoryUtilization()), null,
				"trainer.gpu_memory_utilization");
		derived("actor_rollout_ref.rollout.log_prob_micro_batch_size_per_gpu", micro,
				"trainer.micro_batch_size_per_gpu");
		if (!grpo) {
			derived("critic.model.path", model, "model.path");
			derived("critic.ppo_micro_batch_size_per_gpu", micro, "trainer.micro_batch_size_per_gpu");
		}
		if (spec.reward() != null) {
			// where this version's PPO trainer reads the function (0.9 no longer reads
			// the
			// old top-level keys)
			field(version.rewardPathKey(), spec.reward().path(), null, "reward.path");
			field(version.rewardNameKey(), blankToNull(spec.reward().function()), RewardSource.DEFAULT_FUNCTION,
					"reward.function");
		}
		owned("trainer.nnodes", spec.resourcesOrDefault().nodes());
		owned("trainer.n_gpus_per_node", spec.resourcesOrDefault().gpusPerNode());
		length(t);
		field("trainer.test_freq", t.testFreq(), null, "trainer.test_freq");
		field("trainer.val_before_train", bool(t.valBeforeTrain()), null, "trainer.val_before_train");
		common(spec, t, ctx);
	}

	private void sft(JobSpec spec, ComposeContext ctx) {
		TrainerSpec t = trainer(spec);
		data(spec, false);
		field("data.train_batch_size", t.trainBatchSize(), DEFAULT_SFT_BATCH, "trainer.train_batch_size");
		field("data.micro_batch_size_per_gpu", t.microBatchSizePerGpu(), DEFAULT_MICRO_BATCH,
				"trainer.micro_batch_size_per_gpu");
		field("data.max_length", t.maxLength(), null, "trainer.max_length");
		field("model.path", (spec.model() != null) ? spec.model().path() : null, null, "model.path");
		field("optim.lr", number(t.learningRate()), null, "trainer.learning_rate");
		if (version(spec).hasRaySft()) {
			// only the Ray trainer reads them; torchrun's --nnodes/--nproc_per_node size
			// the other
			owned("trainer.nnodes", spec.resourcesOrDefault().nodes());
			owned("trainer.n_gpus_per_node", spec.resourcesOrDefault().gpusPerNode());
		}
		length(t);
		field("trainer.test_freq", t.testFreq(), null, "trainer.test_freq");
		common(spec, t, ctx);
	}

	private void data(JobSpec spec, boolean valRequired) {
		List<String> train = (spec.data() != null) ? spec.data().trainFiles() : null;
		List<String> val = (spec.data() != null) ? spec.data().valFiles() : null;
		field("data.train_files", files(train), null, "data.train_files");
		// PPO/GRPO always build a validation set and refuse an empty one: reuse the train
		// files (reference §2)
		field("data.val_files", files(val), valRequired ? files(train) : null, "data.val_files");
	}

	private void length(TrainerSpec t) {
		field("trainer.total_training_steps", t.totalTrainingSteps(), null, "trainer.total_training_steps");
		field("trainer.total_epochs", t.totalEpochs(), DEFAULT_EPOCHS, "trainer.total_epochs");
	}

	private void common(JobSpec spec, TrainerSpec t, ComposeContext ctx) {
		CheckpointSpec c = spec.checkpoint();
		field("trainer.save_freq", (c != null) ? c.saveFreq() : null, DEFAULT_SAVE_FREQ, "checkpoint.save_freq");
		if (spec.resumeFrom() != null) {
			resume(spec, ctx);
		}
		else {
			field(VerlVersion.RESUME_MODE_KEY, t.resumeMode(), "auto", "trainer.resume_mode");
		}
		owned(VerlVersion.CHECKPOINT_DIR_KEY, ctx.jobDir() + "/checkpoints");
		boolean wandb = spec.wandb() != null && Boolean.TRUE.equals(spec.wandb().enabled());
		String project = (wandb && spec.wandb().project() != null) ? spec.wandb().project() : "raylane-" + ctx.user();
		String run = (wandb && spec.wandb().runName() != null) ? spec.wandb().runName() : ctx.jobId();
		owned("trainer.project_name", HydraNames.sanitize(project));
		owned("trainer.experiment_name", HydraNames.sanitize(run));
		owned("trainer.logger", wandb ? "[console,wandb]" : "[console]");
	}

	/**
	 * {@code resume_from}: every supported version, PPO/GRPO and SFT alike, loads
	 * {@code trainer.resume_from_path} (a {@code global_step_<N>} folder, whose N becomes
	 * the step it continues after) only with {@code trainer.resume_mode=resume_path}; the
	 * PPO trainer ignores the path under {@code auto} (docs/jobspec.md "Resume"). The
	 * earlier job's folder is a sibling of this job's under the jobs root. PPO/GRPO's
	 * loader could delete what it loaded ({@code trainer.del_local_ckpt_after_load}): the
	 * earlier job's checkpoint is never this job's to delete. Without a step (only before
	 * the API filled it in) the path is left out, and verl refuses to start.
	 */
	private void resume(JobSpec spec, ComposeContext ctx) {
		owned(VerlVersion.RESUME_MODE_KEY, VerlVersion.RESUME_PATH_MODE);
		if (spec.resumeStep() != null) {
			owned(VerlVersion.RESUME_FROM_PATH_KEY, resumePath(ctx.jobDir(), spec.resumeFrom(), spec.resumeStep()));
		}
		if (Workload.parse(spec.workload()).orElse(Workload.PPO) != Workload.SFT) {
			owned(VerlVersion.DEL_AFTER_LOAD_KEY, "False");
		}
	}

	/**
	 * {@code <jobs root>/<earlier job>/checkpoints/global_step_<step>}, where the jobs
	 * root is the folder holding {@code jobDir}.
	 */
	static String resumePath(String jobDir, String earlierJobId, int step) {
		String dir = (jobDir != null) ? jobDir : "";
		int slash = dir.lastIndexOf('/');
		String jobsRoot = (slash >= 0) ? dir.substring(0, slash) : "";
		return jobsRoot + "/" + earlierJobId + "/checkpoints/global_step_" + step;
	}

	/**
	 * The verl key of a field: the spec's value ({@link Kind#FIELD}), else the default
	 * ({@link Kind#DEFAULT}), else nothing.
	 */
	private void field(String key, Object given, Object otherwise, String field) {
		if (given != null) {
			this.args.add(new Arg(key, String.valueOf(given), field, Kind.FIELD));
		}
		else if (otherwise != null) {
			this.args.add(new Arg(key, String.valueOf(otherwise), field, Kind.DEFAULT));
		}
	}

	/** A key another field's value fans out to: a user's override of it wins. */
	private void derived(String key, Object value, String field) {
		if (value != null) {
			this.args.add(new Arg(key, String.valueOf(value), field, Kind.DEFAULT));
		}
	}

	private void owned(String key, Object value) {
		this.args.add(new Arg(key, String.valueOf(value), OWNED, Kind.OWNED));
	}

	static VerlVersion version(JobSpec spec) {
		return VerlVersion.parse(spec.verlVersion()).orElse(VerlVersion.DEFAULT);
	}

	private static String blankToNull(String value) {
		return (value != null && !value.isBlank()) ? value : null;
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
