package io.raylane.observer.diagnose;

import java.util.List;

/**
 * The failure phrases of verl, Hydra, PyTorch, vLLM and Ray (docs/reference/verl.md §4),
 * by category. A rule matches a line when the line contains every one of its fragments
 * (case-sensitive). Ray's worker-crash phrases are kept apart: they trail the root cause
 * and count only when nothing else matched.
 */
final class FailurePhrases {

	/**
	 * A category, its hint, and its rules (each rule: fragments that must all be on one
	 * line).
	 */
	record Category(String name, String hint, List<List<String>> rules) {

		boolean matches(String line) {
			return this.rules.stream().anyMatch((rule) -> rule.stream().allMatch(line::contains));
		}

	}

	// Each phrase is what verl 0.9.1 / 0.6.1, Hydra 1.3 / OmegaConf 2.3 (verl's), Ray
	// 2.60.0
	// or a third-party library prints; the file and line of each are in
	// docs/reference/verl.md §4 "Where each failure phrase comes from", checked by
	// FailurePhraseSourcesTest against the installed packages (issue 13 item 7).
	static final List<Category> ROOT = List.of(
			new Category("resources",
					"the cluster has fewer free GPUs (or CPUs) than the job asks for; ask for fewer or wait",
					List.of(List.of("Total available GPUs", "is less than total desired GPUs"),
							List.of("Failed to register worker to Raylet"))),
			new Category("placement",
					"a placement group cannot be placed (no single node holds one group); check nnodes × n_gpus_per_node against the pool's nodes",
					List.of(List.of("pending placement groups"), List.of("cannot be scheduled right now"),
							List.of("No available node types can fulfill resource request"))),
			new Category("hydra_config",
					"verl's Hydra config refused a key or override (a key this verl version does not have, + / ++ misused, a bad value); fix overrides or pick the verl version that has the key",
					List.of(List.of("Could not override '"), List.of("To append to your config use +"),
							List.of("Key '", "' is not in struct"), List.of("Error merging override"),
							List.of("Could not append to config. An item is already at"),
							List.of("Ambiguous value for argument"), List.of("Error parsing override '"),
							List.of("ConfigCompositionException"), List.of("Missing mandatory value:"))),
			new Category("config", "verl refused its configuration; fix the named key in trainer fields or overrides",
					List.of(List.of("Please set at least one of"), List.of("must be divisible by"),
							List.of("Rollout mode 'sync' has been removed"),
							List.of("expert_parallel_size must be equal"))),
			new Category("data",
					"a data file is missing, unreadable or too small for the batch; check data.train_files / val_files and the batch size",
					List.of(List.of("Unable to find '"), List.of("No such file or directory", ".parquet"),
							List.of("Unsupported file format"), List.of("Train dataloader is empty!"),
							List.of("Validation dataloader is empty!"), List.of("is larger than max_length="),
							List.of("is larger than self.max_length="))),
			new Category("model",
					"the model cannot be loaded; check model.path (a local folder under the shared root) and hub access",
					List.of(List.of("Incorrect path_or_model_id"),
							List.of("is not a local folder and is not a valid model identifier"),
							List.of("Repo id must be in the form"),
							List.of("We couldn't connect to 'https://huggingface.co'"),
							List.of("Can't load tokenizer for"))),
			new Category("reward",
					"the custom reward function could not be loaded or does not cover this data_source; check reward.path and reward.function",
					List.of(List.of("Custom module file not found"), List.of("Object not found in module"),
							List.of("Error loading module from module_path="), List.of("Reward function file"),
							List.of("Reward function is not implemented for data_source"),
							List.of("Reward function '", "not found in '"))),
			new Category("runtime_env", "Ray could not set up the job's runtime environment; check env and code_path",
					List.of(List.of("Failed to merge the Job's runtime env"), List.of("runtime_env setup failed"),
							List.of("RUNTIME_ENV_SETUP_FAILURE"))),
			new Category("oom_gpu",
					"out of GPU memory; lower micro_batch_size_per_gpu, max lengths or gpu_memory_utilization, or use more GPUs",
					List.of(List.of("CUDA out of memory"), List.of("torch.OutOfMemoryError"),
							List.of("OutOfMemoryError: CUDA"),
							List.of("Free memory on device", "is less than desired GPU memory utilization"),
							List.of("No available memory for the cache blocks"),
							List.of("KV cache is needed, which is larger than the available KV cache memory"))),
			new Category("oom_host",
					"a node ran out of host memory; lower batch sizes or dataloader workers, or offload less",
					List.of(List.of("were killed due to the node running low on memory"),
							List.of("ray.exceptions.OutOfMemoryError"),
							List.of("killed due to memory pressure (OOM)"))),
			new Category("nccl",
					"a collective failed or timed out (NCCL / network); check the fabric variables (NCCL_*, IB) and the nodes' health",
					List.of(List.of("NCCL error"), List.of("DistBackendError"), List.of("ncclInternalError"),
							List.of("ncclSystemError"), List.of("ncclUnhandledCudaError"), List.of("ncclRemoteError"),
							List.of("NCCL communicator was aborted"),
							List.of("Watchdog caught collective operation timeout"),
							List.of("ran for", "milliseconds before timing out"))),
			new Category("user_code",
					"a CUDA kernel faulted (often in the rollout engine); check the code version and engine settings",
					List.of(List.of("an illegal memory access was encountered"))));

	/** Ray's worker-crash phrases: evidence that something died, never the cause. */
	static final List<String> TRAILING = List.of("ActorDiedError", "The actor died unexpectedly",
			"Worker exit type: SYSTEM_ERROR", "RayActorError");

	private FailurePhrases() {
	}

}
