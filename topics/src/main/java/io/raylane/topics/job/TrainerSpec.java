package io.raylane.topics.job;

/**
 * Trainer settings of a verl workload. Every field is optional; the composer
 * ({@code io.raylane.jobspec.workload.WorkloadComposer}) fills the documented defaults.
 * Each maps to one or more verl keys of the chosen version (see {@code docs/jobspec.md}).
 *
 * @param totalEpochs epochs to train ({@code trainer.total_epochs}; default 1 when no
 * step count is given)
 * @param totalTrainingSteps steps to train; wins over epochs
 * ({@code trainer.total_training_steps})
 * @param trainBatchSize prompts (PPO/GRPO) or samples (SFT) per step
 * ({@code data.train_batch_size})
 * @param ppoMiniBatchSize PPO/GRPO mini-batch in prompts, at most the train batch
 * ({@code actor_rollout_ref.actor.ppo_mini_batch_size})
 * @param microBatchSizePerGpu per-GPU micro batch of the actor, critic, log-prob passes
 * (PPO/GRPO) or of SFT
 * @param maxPromptLength PPO/GRPO prompt limit in tokens ({@code data.max_prompt_length})
 * @param maxResponseLength PPO/GRPO response limit in tokens
 * ({@code data.max_response_length})
 * @param maxLength SFT sequence limit in tokens ({@code data.max_length})
 * @param learningRate actor (PPO/GRPO) or model (SFT) learning rate
 * @param rolloutName rollout engine, {@code vllm} or {@code sglang} (PPO/GRPO)
 * @param rolloutN responses per prompt (GRPO group size, default 5)
 * @param tensorModelParallelSize rollout tensor parallelism; must divide the GPU count
 * @param gpuMemoryUtilization rollout engine's GPU memory share, in (0, 1]
 * @param testFreq validate every N steps ({@code trainer.test_freq}; -1 = never)
 * @param valBeforeTrain whether to validate before the first step
 * @param resumeMode {@code auto} (default) or {@code disable}
 */
public record TrainerSpec(Integer totalEpochs, Integer totalTrainingSteps, Integer trainBatchSize,
		Integer ppoMiniBatchSize, Integer microBatchSizePerGpu, Integer maxPromptLength, Integer maxResponseLength,
		Integer maxLength, Double learningRate, String rolloutName, Integer rolloutN, Integer tensorModelParallelSize,
		Double gpuMemoryUtilization, Integer testFreq, Boolean valBeforeTrain, String resumeMode) {

	/** Only the length of the run. */
	public TrainerSpec(Integer totalEpochs, Integer totalTrainingSteps) {
		this(totalEpochs, totalTrainingSteps, null, null, null, null, null, null, null, null, null, null, null, null,
				null, null);
	}

}
