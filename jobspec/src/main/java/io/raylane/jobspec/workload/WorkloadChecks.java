package io.raylane.jobspec.workload;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.raylane.topics.job.FieldError;
import io.raylane.topics.job.JobIds;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.TrainerSpec;
import io.raylane.topics.job.Workload;

/**
 * The workload rules of a JobSpec that need nothing but the spec: verl fields only on
 * verl workloads, the version, required model and data, trainer ranges, multi-node SFT
 * only where the version can, and each override ({@code key=value}, a key the version
 * has, not one Raylane owns or a field already sets, never one of Hydra's own
 * {@code hydra.*} settings). Called by {@code JobSpecValidator}; paths are
 * {@link StoragePolicy}'s.
 */
public final class WorkloadChecks {

	static final Set<String> ROLLOUTS = Set.of("vllm", "sglang");

	static final Set<String> RESUME_MODES = Set.of("auto", "disable");

	private WorkloadChecks() {
	}

	public static void check(JobSpec spec, Workload workload, List<FieldError> errors) {
		if (spec.envOrEmpty().containsKey("WANDB_API_KEY")) {
			// a JobSpec is stored in records and job directories: secrets never go there
			errors.add(new FieldError("env.WANDB_API_KEY",
					"secrets do not belong in a JobSpec; the operator configures the W&B key for Raylane"));
		}
		if (workload == Workload.COMMAND) {
			verlOnly(spec, errors);
			return;
		}
		if (workload == Workload.NCCL_CHECK) {
			verlOnly(spec, errors);
			NcclCheck.check(spec, errors);
			return;
		}
		if (spec.command() != null) {
			errors.add(new FieldError("command", "is only for workload 'command'"));
		}
		Optional<VerlVersion> version = VerlVersion.parse(spec.verlVersion());
		if (version.isEmpty()) {
			errors.add(new FieldError("verl_version",
					"unknown verl version '" + spec.verlVersion() + "' (one of: " + VerlVersion.accepted() + ")"));
			return;
		}
		if (spec.model() == null || spec.model().path() == null || spec.model().path().isBlank()) {
			errors.add(new FieldError("model.path", "is required for workload '" + workload.wireName() + "'"));
		}
		if (spec.data() == null || spec.data().trainFiles() == null || spec.data().trainFiles().isEmpty()) {
			errors.add(new FieldError("data.train_files", "is required (at least one file)"));
		}
		int nodes = spec.resourcesOrDefault().nodes();
		int gpus = spec.resourcesOrDefault().gpusPerNode();
		if (gpus < 1) {
			errors.add(new FieldError("resources.n_gpus_per_node", "must be at least 1 for a verl workload"));
		}
		if (workload == Workload.SFT && nodes > 1 && !version.get().hasRaySft()) {
			errors.add(new FieldError("resources.nnodes", "verl " + version.get().label()
					+ " has no Ray SFT trainer: SFT runs with torchrun on one node; use nnodes 1 or verl_version 0.7 or later"));
		}
		trainer(spec, workload, nodes * gpus, errors);
		checkpoint(spec, errors);
		resume(spec, errors);
		if (spec.reward() != null) {
			if (workload == Workload.SFT) {
				errors.add(new FieldError("reward", "applies to ppo and grpo only"));
			}
			else if (spec.reward().function() != null
					&& !RewardSource.IDENTIFIER.matcher(spec.reward().function()).matches()) {
				errors.add(new FieldError("reward.function", "must be a Python function name"));
			}
			else if (spec.reward().path() != null && !spec.reward().path().endsWith(".py")) {
				errors.add(new FieldError("reward.path", "must be a .py file"));
			}
		}
		if (spec.wandb() != null) {
			if (spec.wandb().project() != null && spec.wandb().project().isBlank()) {
				errors.add(new FieldError("wandb.project", "must not be blank"));
			}
		}
		if (errors.isEmpty()) {
			overrides(spec, workload, version.get(), errors);
		}
	}

	private static void verlOnly(JobSpec spec, List<FieldError> errors) {
		Map<String, Object> fields = new java.util.LinkedHashMap<>();
		fields.put("verl_version", spec.verlVersion());
		fields.put("model", spec.model());
		fields.put("data", spec.data());
		fields.put("trainer", spec.trainer());
		fields.put("checkpoint", spec.checkpoint());
		fields.put("reward", spec.reward());
		fields.put("wandb", spec.wandb());
		fields.put("overrides", spec.overrides());
		fields.put("resume_from", spec.resumeFrom());
		fields.put("resume_step", spec.resumeStep());
		fields.forEach((name, value) -> {
			if (value != null) {
				errors.add(new FieldError(name, "is only for verl workloads (ppo, grpo, sft)"));
			}
		});
	}

	private static void trainer(JobSpec spec, Workload workload, int worldSize, List<FieldError> errors) {
		TrainerSpec t = VerlArgs.trainer(spec);
		positive("trainer.total_epochs", t.totalEpochs(), errors);
		positive("trainer.total_training_steps", t.totalTrainingSteps(), errors);
		positive("trainer.train_batch_size", t.trainBatchSize(), errors);
		positive("trainer.ppo_mini_batch_size", t.ppoMiniBatchSize(), errors);
		positive("trainer.micro_batch_size_per_gpu", t.microBatchSizePerGpu(), errors);
		positive("trainer.max_prompt_length", t.maxPromptLength(), errors);
		positive("trainer.max_response_length", t.maxResponseLength(), errors);
		positive("trainer.max_length", t.maxLength(), errors);
		positive("trainer.rollout_n", t.rolloutN(), errors);
		positive("trainer.tensor_model_parallel_size", t.tensorModelParallelSize(), errors);
		if (t.learningRate() != null && !(t.learningRate() > 0 && t.learningRate() < 1)) {
			errors.add(new FieldError("trainer.learning_rate", "must be between 0 and 1"));
		}
		if (t.gpuMemoryUtilization() != null && !(t.gpuMemoryUtilization() > 0 && t.gpuMemoryUtilization() <= 1)) {
			errors.add(new FieldError("trainer.gpu_memory_utilization", "must be in (0, 1]"));
		}
		if (t.testFreq() != null && t.testFreq() != -1 && t.testFreq() < 1) {
			errors.add(new FieldError("trainer.test_freq", "must be -1 (never) or at least 1"));
		}
		if (t.rolloutName() != null && !ROLLOUTS.contains(t.rolloutName())) {
			errors.add(new FieldError("trainer.rollout_name", "must be one of " + ROLLOUTS));
		}
		if (t.resumeMode() != null && !RESUME_MODES.contains(t.resumeMode())) {
			errors.add(new FieldError("trainer.resume_mode", "must be one of " + RESUME_MODES));
		}
		if (workload == Workload.SFT) {
			only(t.ppoMiniBatchSize(), "trainer.ppo_mini_batch_size", "ppo and grpo", errors);
			only(t.maxPromptLength(), "trainer.max_prompt_length", "ppo and grpo", errors);
			only(t.maxResponseLength(), "trainer.max_response_length", "ppo and grpo", errors);
			only(t.rolloutName(), "trainer.rollout_name", "ppo and grpo", errors);
			only(t.rolloutN(), "trainer.rollout_n", "ppo and grpo", errors);
			only(t.tensorModelParallelSize(), "trainer.tensor_model_parallel_size", "ppo and grpo", errors);
			only(t.gpuMemoryUtilization(), "trainer.gpu_memory_utilization", "ppo and grpo", errors);
			only(t.valBeforeTrain(), "trainer.val_before_train", "ppo and grpo", errors);
			return;
		}
		only(t.maxLength(), "trainer.max_length", "sft", errors);
		// a field, else the user's override of its verl key, else Raylane's default
		int batch = effective(spec, t.trainBatchSize(), "data.train_batch_size", VerlArgs.DEFAULT_RL_BATCH);
		int mini = effective(spec, t.ppoMiniBatchSize(), "actor_rollout_ref.actor.ppo_mini_batch_size",
				VerlArgs.DEFAULT_MINI_BATCH);
		if (mini > batch) {
			errors.add(new FieldError("trainer.ppo_mini_batch_size",
					"must be at most trainer.train_batch_size (" + batch + ")"));
		}
		int tp = effective(spec, t.tensorModelParallelSize(), "actor_rollout_ref.rollout.tensor_model_parallel_size",
				1);
		if (tp >= 1 && worldSize > 0 && worldSize % tp != 0) {
			errors.add(new FieldError("trainer.tensor_model_parallel_size",
					"must divide the job's GPU count (" + worldSize + ")"));
		}
		if (workload == Workload.GRPO && t.rolloutN() != null && t.rolloutN() < 2) {
			errors.add(new FieldError("trainer.rollout_n", "must be at least 2 for grpo (the group size)"));
		}
	}

	private static void checkpoint(JobSpec spec, List<FieldError> errors) {
		if (spec.checkpoint() == null) {
			return;
		}
		positive("checkpoint.save_freq", spec.checkpoint().saveFreq(), errors);
		positive("checkpoint.keep_last", spec.checkpoint().keepLast(), errors);
	}

	/**
	 * What the spec alone says of a resume; the earlier job itself (owner, status,
	 * workload, model, checkpoint) is the API's to check.
	 */
	private static void resume(JobSpec spec, List<FieldError> errors) {
		if (spec.resumeFrom() == null) {
			if (spec.resumeStep() != null) {
				errors.add(new FieldError("resume_step", "needs resume_from: the earlier job whose step it names"));
			}
			return;
		}
		if (!JobIds.isValid(spec.resumeFrom())) {
			errors.add(new FieldError("resume_from", "'" + spec.resumeFrom() + "' is not a job id"));
		}
		positive("resume_step", spec.resumeStep(), errors);
		if (spec.trainer() != null && spec.trainer().resumeMode() != null) {
			errors.add(new FieldError("trainer.resume_mode", "resume_from sets verl's resume mode ("
					+ VerlVersion.RESUME_PATH_MODE + "); leave trainer.resume_mode out"));
		}
	}

	private static void overrides(JobSpec spec, Workload workload, VerlVersion version, List<FieldError> errors) {
		if (spec.overrides() == null) {
			return;
		}
		Map<String, VerlArgs.Arg> composed = new HashMap<>();
		VerlArgs.of(spec, new ComposeContext("job", "/job", "user", Map.of()))
			.forEach((arg) -> composed.put(arg.key(), arg));
		// the owned keys even where this spec's composition leaves them out (torchrun
		// SFT)
		for (String owned : List.of("trainer.nnodes", "trainer.n_gpus_per_node", VerlVersion.CHECKPOINT_DIR_KEY,
				"trainer.project_name", "trainer.experiment_name", "trainer.logger",
				VerlVersion.RESUME_FROM_PATH_KEY)) {
			composed.putIfAbsent(owned, new VerlArgs.Arg(owned, "", VerlArgs.OWNED, VerlArgs.Kind.OWNED));
		}
		boolean sft = workload == Workload.SFT;
		for (int i = 0; i < spec.overrides().size(); i++) {
			String field = "overrides[" + i + "]";
			String text = spec.overrides().get(i);
			Optional<Override> parsed = Override.parse(text);
			if (parsed.isEmpty()) {
				errors.add(new FieldError(field, "'" + text + "' is not a Hydra override key=value (or +key=value)"));
				continue;
			}
			Override o = parsed.get();
			VerlArgs.Arg arg = composed.get(o.key());
			Optional<VerlKeys.LegacyKey> legacy = sft ? Optional.empty() : VerlKeys.legacy(version, o.key());
			if (o.key().equals("hydra") || o.key().startsWith("hydra.")) {
				// issue 12: ++hydra.run.dir, hydra.sweep.dir, hydra.output_subdir,
				// hydra.job_logging.handlers.file.filename, ... move Hydra's outputs out
				// of the job's logs/ folder
				errors.add(new FieldError(field, "'" + o.key() + "' is one of Hydra's own settings: Raylane keeps "
						+ "Hydra's outputs and logs in the job's logs/ folder"));
			}
			else if (o.key().equals(VerlVersion.RESUME_FROM_PATH_KEY) || (o.key().equals(VerlVersion.RESUME_MODE_KEY)
					&& o.value().strip().equals(VerlVersion.RESUME_PATH_MODE))) {
				// issue 13: a path written by hand could name any job's checkpoint;
				// resume_from checks the earlier job is the caller's
				errors.add(new FieldError(field, "'" + o.key() + "' is set by Raylane from the JobSpec field "
						+ "'resume_from': name the earlier job there (resume_step picks its step)"));
			}
			else if (legacy.isPresent()) {
				errors.add(new FieldError(field, legacy(o.key(), legacy.get(), version)));
			}
			else if (arg != null && arg.kind() == VerlArgs.Kind.OWNED) {
				errors.add(new FieldError(field, "'" + o.key() + "' is owned by Raylane and cannot be overridden"));
			}
			else if (arg != null && arg.kind() == VerlArgs.Kind.FIELD) {
				errors.add(new FieldError(field,
						"'" + o.key() + "' is set by the JobSpec field '" + arg.field() + "'; set it there"));
			}
			else if (o.prefix().isEmpty() && !VerlKeys.exists(version, sft, o.key())) {
				errors.add(new FieldError(field, "'" + o.key() + "' is not a key of verl " + version.label() + "'s "
						+ (sft ? "SFT" : "PPO") + " config; use ++" + o.key() + "=... to add it"));
			}
			else if (o.prefix().equals("+") && VerlKeys.exists(version, sft, o.key())) {
				errors.add(new FieldError(field, "'" + o.key() + "' already exists; write " + o.key() + "=..."));
			}
		}
	}

	/**
	 * Why an old top-level reward key is refused: verl 0.9 accepts it and never reads it
	 * (the default scorer would run instead); 0.8 moves it at start-up, replacing the
	 * whole {@code reward.*} folder it lands in, so one spelling per version is safer.
	 */
	private static String legacy(String key, VerlKeys.LegacyKey legacy, VerlVersion version) {
		String replacement = legacy.replacement(key);
		String instead = (replacement != null) ? "; write '" + replacement + "' instead"
				: "; no key replaces it in verl " + version.label();
		if (legacy.ignored()) {
			return "'" + key + "' is accepted by verl " + version.label()
					+ "'s config but never read (its start-up no longer moves the old reward keys)" + instead;
		}
		return "'" + key + "' is an old reward key that verl " + version.label()
				+ " moves at start-up, replacing the whole folder it lands in" + instead;
	}

	/**
	 * The field's value, else the last whole-number override of {@code key}, else the
	 * default.
	 */
	private static int effective(JobSpec spec, Integer field, String key, int otherwise) {
		if (field != null) {
			return field;
		}
		int value = otherwise;
		for (String text : (spec.overrides() != null) ? spec.overrides() : List.<String>of()) {
			Optional<Override> o = Override.parse(text);
			if (o.isPresent() && o.get().key().equals(key) && o.get().value().strip().matches("[0-9]{1,9}")) {
				value = Integer.parseInt(o.get().value().strip());
			}
		}
		return value;
	}

	private static void positive(String field, Integer value, List<FieldError> errors) {
		if (value != null && value < 1) {
			errors.add(new FieldError(field, "must be at least 1"));
		}
	}

	private static void only(Object value, String field, String workloads, List<FieldError> errors) {
		if (value != null) {
			errors.add(new FieldError(field, "applies to " + workloads + " only"));
		}
	}

}
