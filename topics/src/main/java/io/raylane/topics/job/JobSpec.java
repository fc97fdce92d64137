package io.raylane.topics.job;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What a user asks Raylane to run, as accepted (snake_case on the wire, JSON or YAML).
 * Validation lives in {@code io.raylane.jobspec.JobSpecValidator}; the workloads issue
 * adds verl's fields. Fields are only ever added.
 *
 * @param name a short human name (not unique; the job id is)
 * @param workload {@code command}, {@code ppo}, {@code grpo} or {@code sft}
 * @param command the shell command of a {@code command} workload
 * @param pool the pool whose nodes run the job ({@code default} when absent)
 * @param resources the gang: nodes × GPUs per node
 * @param timeout wall-clock limit once running, e.g. {@code 10m}, {@code 2h30m},
 * {@code PT1H}
 * @param env extra environment variables for the driver and every process it starts
 * @param nodeSelector labels a node must carry (label → value) to take part in the job's
 * gang
 * @param verlVersion the verl version whose keys the composer uses (verl workloads)
 * @param model the model to train (verl workloads)
 * @param data training and validation files (verl workloads)
 * @param trainer trainer settings (verl workloads)
 * @param checkpoint checkpoint frequency and retention (verl workloads)
 * @param codePath a code snapshot put first on PYTHONPATH
 * @param reward a custom reward function (verl workloads)
 * @param wandb Weights &amp; Biases logging (verl workloads)
 * @param overrides extra Hydra overrides, each {@code key=value} (verl workloads)
 * @param resumeFrom the id of an earlier job of the same workload and model whose
 * checkpoint this one continues from (verl workloads; issue 13)
 * @param resumeStep the earlier job's {@code global_step_<N>} to continue from; when left
 * out, the API fills in the earlier job's latest checkpointed step at submission
 */
public record JobSpec(String name, String workload, String command, String pool, Resources resources, String timeout,
		Map<String, String> env, Map<String, String> nodeSelector, String verlVersion, ModelSpec model, DataSpec data,
		TrainerSpec trainer, CheckpointSpec checkpoint, String codePath, RewardSpec reward, WandbSpec wandb,
		java.util.List<String> overrides, String resumeFrom, Integer resumeStep) {

	/** A spec that resumes nothing (the fields before issue 13's resume). */
	public JobSpec(String name, String workload, String command, String pool, Resources resources, String timeout,
			Map<String, String> env, Map<String, String> nodeSelector, String verlVersion, ModelSpec model,
			DataSpec data, TrainerSpec trainer, CheckpointSpec checkpoint, String codePath, RewardSpec reward,
			WandbSpec wandb, java.util.List<String> overrides) {
		this(name, workload, command, pool, resources, timeout, env, nodeSelector, verlVersion, model, data, trainer,
				checkpoint, codePath, reward, wandb, overrides, null, null);
	}

	/** A command job's spec (the skeleton's fields only). */
	public JobSpec(String name, String workload, String command, String pool, Resources resources, String timeout,
			Map<String, String> env) {
		this(name, workload, command, pool, resources, timeout, env, null, null, null, null, null, null, null, null,
				null, null);
	}

	public static final String DEFAULT_POOL = "default";

	public String poolOrDefault() {
		return (this.pool != null && !this.pool.isBlank()) ? this.pool : DEFAULT_POOL;
	}

	public Resources resourcesOrDefault() {
		return (this.resources != null) ? this.resources : new Resources(null, null);
	}

	public Map<String, String> nodeSelectorOrEmpty() {
		return (this.nodeSelector != null) ? this.nodeSelector : Map.of();
	}

	public Map<String, String> envOrEmpty() {
		return (this.env != null) ? this.env : Map.of();
	}

	/** The parsed timeout, if one was given and it parses. */
	public Optional<Duration> timeoutDuration() {
		return Durations.parse(this.timeout);
	}

	/**
	 * The same spec with defaults filled in, as the scheduler and the job directory
	 * record it.
	 */
	public JobSpec withDefaults() {
		Resources r = resourcesOrDefault();
		return new JobSpec(this.name, this.workload, this.command, poolOrDefault(),
				Resources.of(r.nodes(), r.gpusPerNode()), this.timeout, envOrEmpty(), this.nodeSelector,
				this.verlVersion, this.model, this.data, this.trainer, this.checkpoint, this.codePath, this.reward,
				this.wandb, this.overrides, this.resumeFrom, this.resumeStep);
	}

	/** The same spec resuming from {@code step} of the earlier job it names. */
	public JobSpec withResumeStep(Integer step) {
		return new JobSpec(this.name, this.workload, this.command, this.pool, this.resources, this.timeout, this.env,
				this.nodeSelector, this.verlVersion, this.model, this.data, this.trainer, this.checkpoint,
				this.codePath, this.reward, this.wandb, this.overrides, this.resumeFrom, step);
	}

}
