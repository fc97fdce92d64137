package io.raylane.observer.diagnose;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where each failure phrase comes from (issue 13 item 7; docs/reference/verl.md §4):
 * every fragment of {@link FailurePhrases} has a row, and each row that names an
 * installed package is checked against it: the cited line of the file (in the venvs of
 * verl-keys/install-verl.sh and ray-cluster/install-ray.sh; Hydra and OmegaConf are
 * verl's own) holds the text as written in the source ({@code {data_source=}} where verl
 * prints {@code data_source='…'}). Line 0 = a compiled Ray binary, which holds the text
 * somewhere. Third-party rows (PyTorch, vLLM, Hugging Face, CUDA: not installed, verl is
 * installed without its dependencies) name the library and are not checked here.
 */
class FailurePhraseSourcesTest {

	/** phrase | package | file | line | the text in that line of the source. */
	static final String TABLE = """
			Total available GPUs | verl-0.9.1 | verl/single_controller/ray/base.py | 241 | Total available GPUs {total_available_gpus} is less than total desired GPUs
			is less than total desired GPUs | verl-0.9.1 | verl/single_controller/ray/base.py | 241 | is less than total desired GPUs {total_required_gpus}
			Failed to register worker to Raylet | ray-2.60.0 | ray/_raylet.so | 0 | Failed to register worker to Raylet
			pending placement groups | ray-2.60.0 | ray/autoscaler/v2/utils.py | 678 | {count}+ pending placement groups
			cannot be scheduled right now | ray-2.60.0 | ray/core/src/ray/raylet/raylet | 0 | cannot be scheduled right now
			No available node types can fulfill resource request | ray-2.60.0 | ray/autoscaler/v2/event_logger.py | 115 | No available node types can fulfill resource requests
			Could not override ' | verl-0.9.1 | hydra/_internal/config_loader_impl.py | 393 | Could not override '{override.key_or_group}'.
			To append to your config use + | verl-0.9.1 | hydra/_internal/config_loader_impl.py | 394 | To append to your config use +{override.input_line}
			Key ' | verl-0.9.1 | omegaconf/dictconfig.py | 163 | Key '{key}' is not in struct
			' is not in struct | verl-0.9.1 | omegaconf/dictconfig.py | 163 | Key '{key}' is not in struct
			Error merging override | verl-0.9.1 | hydra/_internal/config_loader_impl.py | 398 | Error merging override {override.input_line}
			Could not append to config. An item is already at | verl-0.9.1 | hydra/_internal/config_loader_impl.py | 380 | Could not append to config. An item is already at '{override.key_or_group}'.
			Ambiguous value for argument | verl-0.9.1 | hydra/_internal/config_loader_impl.py | 74 | Ambiguous value for argument '{x.input_line}'
			Error parsing override ' | verl-0.9.1 | hydra/core/override_parser/overrides_parser.py | 95 | Error parsing override '{override}'
			ConfigCompositionException | verl-0.9.1 | hydra/errors.py | 24 | class ConfigCompositionException(CompactHydraException)
			Missing mandatory value: | verl-0.9.1 | omegaconf/dictconfig.py | 482 | Missing mandatory value: $KEY
			Please set at least one of | verl-0.9.1 | verl/workers/config/actor.py | 208 | [actor] Please set at least one of 'actor.ppo_micro_batch_size' or
			must be divisible by | verl-0.9.1 | verl/workers/config/actor.py | 235 | ppo_mini_batch_size ({self.ppo_mini_batch_size}) must be divisible by
			Rollout mode 'sync' has been removed | verl-0.9.1 | verl/workers/config/rollout.py | 283 | Rollout mode 'sync' has been removed. Please set
			expert_parallel_size must be equal | verl-0.9.1 | verl/workers/config/rollout.py | 296 | expert_parallel_size must be equal to tensor_model_parallel_size * data_parallel_size
			Unable to find ' | third-party | Hugging Face datasets (data files of load_dataset) | 0 |
			No such file or directory | third-party | the OS error, through pyarrow / pandas | 0 |
			.parquet | third-party | the file name of the OS error above | 0 |
			Unsupported file format | verl-0.9.1 | verl/utils/dataset/rl_dataset.py | 178 | Unsupported file format: {parquet_file}
			Train dataloader is empty! | verl-0.9.1 | verl/trainer/ppo/ray_trainer.py | 427 | Train dataloader is empty!
			Validation dataloader is empty! | verl-0.9.1 | verl/trainer/ppo/ray_trainer.py | 428 | Validation dataloader is empty!
			is larger than max_length= | verl-0.9.1 | verl/utils/torch_functional.py | 560 | {sequence_length=} is larger than {max_length=}
			is larger than self.max_length= | verl-0.9.1 | verl/utils/dataset/multiturn_sft_dataset.py | 391 | {sequence_length=} is larger than {self.max_length=}
			Incorrect path_or_model_id | third-party | transformers (cached_file) | 0 |
			is not a local folder and is not a valid model identifier | third-party | transformers (cached_file) | 0 |
			Repo id must be in the form | third-party | huggingface_hub (validate_repo_id) | 0 |
			We couldn't connect to 'https://huggingface.co' | third-party | transformers (cached_file) | 0 |
			Can't load tokenizer for | third-party | transformers (AutoTokenizer) | 0 |
			Custom module file not found | verl-0.9.1 | verl/utils/import_utils.py | 179 | Custom module file not found: {module_path=}
			Object not found in module | verl-0.9.1 | verl/utils/import_utils.py | 259 | Object not found in module: {object_name=}, {module_path=}.
			Error loading module from module_path= | verl-0.9.1 | verl/utils/import_utils.py | 191 | Error loading module from {module_path=}
			Reward function file | verl-0.6.1 | verl/trainer/ppo/reward.py | 84 | Reward function file '{file_path}' not found.
			Reward function is not implemented for data_source | verl-0.9.1 | verl/utils/reward_score/__init__.py | 107 | Reward function is not implemented for {data_source=}
			Reward function ' | verl-0.6.1 | verl/trainer/ppo/reward.py | 97 | Reward function '{function_name}' not found in '{module.__file__}'.
			not found in ' | verl-0.6.1 | verl/trainer/ppo/reward.py | 97 | not found in '{module.__file__}'
			Failed to merge the Job's runtime env | ray-2.60.0 | ray/_private/worker.py | 1805 | Failed to merge the Job's runtime env
			runtime_env setup failed | ray-2.60.0 | ray/dashboard/modules/job/job_manager.py | 286 | runtime_env setup failed: {e}
			RUNTIME_ENV_SETUP_FAILURE | ray-2.60.0 | ray/dashboard/modules/job/common.py | 75 | RUNTIME_ENV_SETUP_FAILURE = "RUNTIME_ENV_SETUP_FAILURE"
			CUDA out of memory | third-party | PyTorch (c10 CUDA caching allocator) | 0 |
			torch.OutOfMemoryError | third-party | PyTorch | 0 |
			OutOfMemoryError: CUDA | third-party | PyTorch | 0 |
			Free memory on device | third-party | vLLM (worker start-up memory check) | 0 |
			is less than desired GPU memory utilization | third-party | vLLM (worker start-up memory check) | 0 |
			No available memory for the cache blocks | third-party | vLLM (KV cache sizing) | 0 |
			KV cache is needed, which is larger than the available KV cache memory | third-party | vLLM (KV cache sizing) | 0 |
			were killed due to the node running low on memory | ray-2.60.0 | ray/core/src/ray/raylet/raylet | 0 | worker(s) were killed due to the node running low on memory.
			ray.exceptions.OutOfMemoryError | ray-2.60.0 | ray/exceptions.py | 655 | class OutOfMemoryError(RayError)
			killed due to memory pressure (OOM) | ray-2.60.0 | ray/core/src/ray/raylet/raylet | 0 | Workers (tasks / actors) killed due to memory pressure (OOM)
			NCCL error | third-party | PyTorch (ProcessGroupNCCL) | 0 |
			DistBackendError | third-party | PyTorch (torch.distributed) | 0 |
			ncclInternalError | third-party | NCCL (result names) | 0 |
			ncclSystemError | third-party | NCCL (result names) | 0 |
			ncclUnhandledCudaError | third-party | NCCL (result names) | 0 |
			ncclRemoteError | third-party | NCCL (result names) | 0 |
			NCCL communicator was aborted | third-party | PyTorch (ProcessGroupNCCL) | 0 |
			Watchdog caught collective operation timeout | third-party | PyTorch (ProcessGroupNCCL watchdog) | 0 |
			ran for | third-party | PyTorch (ProcessGroupNCCL watchdog) | 0 |
			milliseconds before timing out | third-party | PyTorch (ProcessGroupNCCL watchdog) | 0 |
			an illegal memory access was encountered | third-party | CUDA runtime (cudaErrorIllegalAddress) | 0 |
			ActorDiedError | ray-2.60.0 | ray/exceptions.py | 456 | class ActorDiedError(RayActorError)
			The actor died unexpectedly | ray-2.60.0 | ray/exceptions.py | 463 | The actor died unexpectedly before finishing this task.
			Worker exit type: SYSTEM_ERROR | ray-2.60.0 | ray/core/src/ray/gcs/gcs_server | 0 | The actor is dead because its worker process has died. Worker exit type:
			RayActorError | ray-2.60.0 | ray/exceptions.py | 417 | class RayActorError(RayError)
			""";

	record Row(String phrase, String pkg, String file, int line, String source) {

		boolean installed() {
			return !this.pkg.equals("third-party");
		}

		Path path() {
			return Path.of(System.getProperty("user.home"), ".cache/raylane", this.pkg, "lib/python3.11/site-packages",
					this.file);
		}

	}

	static List<Row> rows() {
		return TABLE.lines().filter((l) -> !l.isBlank()).map((l) -> {
			String[] cells = l.split("\\|", -1);
			return new Row(cells[0].strip(), cells[1].strip(), cells[2].strip(), Integer.parseInt(cells[3].strip()),
					cells[4].strip());
		}).toList();
	}

	@Test
	void shouldCiteEveryPhraseOfTheTable() {
		Set<String> fragments = Stream
			.concat(FailurePhrases.ROOT.stream().flatMap((c) -> c.rules().stream()).flatMap(List::stream),
					FailurePhrases.TRAILING.stream())
			.collect(Collectors.toSet());

		assertThat(rows()).extracting(Row::phrase).containsExactlyInAnyOrderElementsOf(fragments);
	}

	static Stream<Row> installed() {
		return rows().stream().filter(Row::installed);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("installed")
	void shouldFindThePhraseWhereItIsCited(Row row) throws IOException {
		boolean required = "true".equals(System.getenv("RAYLANE_REQUIRE_VERL"));
		if (!required) {
			assumeTrue(Files.isRegularFile(row.path()), row.path() + " is not installed: run verl-keys/install-verl.sh "
					+ "and ray-cluster/install-ray.sh");
		}
		if (row.line() == 0) {
			String bytes = new String(Files.readAllBytes(row.path()), StandardCharsets.ISO_8859_1);
			assertThat(bytes).as(row.file()).contains(row.source());
		}
		else {
			List<String> lines = Files.readAllLines(row.path());
			assertThat(lines.get(row.line() - 1)).as(row.file() + ":" + row.line()).contains(row.source());
		}
	}

}
