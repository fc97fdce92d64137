package io.raylane.jobspec.workload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.raylane.topics.job.JobSpec;
import io.raylane.topics.json.Json;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;

/**
 * verl's PPO quickstart (the command of {@code docs/start/quickstart.rst}, verl v0.9.0,
 * the current verl's documentation), as the settings it passes, with its paths replaced
 * by paths on the shared storage; and the JobSpecs that translate it (test resources
 * {@code jobspecs/verl-quickstart-*.yaml}).
 */
final class VerlQuickstart {

	static final String ROOT = "/mnt/shared";

	static final String MODEL = ROOT + "/common/models/Qwen2.5-0.5B-Instruct";

	static final String DATA = ROOT + "/common/datasets/gsm8k";

	/** The quickstart's settings, in its order, paths replaced. */
	static final List<String> COMMAND = List.of("data.train_files=" + DATA + "/train.parquet",
			"data.val_files=" + DATA + "/test.parquet", "data.train_batch_size=256", "data.max_prompt_length=512",
			"data.max_response_length=512", "actor_rollout_ref.model.path=" + MODEL,
			"actor_rollout_ref.actor.optim.lr=1e-6", "actor_rollout_ref.actor.ppo_mini_batch_size=64",
			"actor_rollout_ref.actor.ppo_micro_batch_size_per_gpu=4", "actor_rollout_ref.rollout.name=vllm",
			"actor_rollout_ref.rollout.log_prob_micro_batch_size_per_gpu=8",
			"actor_rollout_ref.rollout.tensor_model_parallel_size=1",
			"actor_rollout_ref.rollout.gpu_memory_utilization=0.4",
			"actor_rollout_ref.ref.log_prob_micro_batch_size_per_gpu=4", "critic.optim.lr=1e-5",
			"critic.model.path=" + MODEL, "critic.ppo_micro_batch_size_per_gpu=4", "algorithm.kl_ctrl.kl_coef=0.001",
			"trainer.logger=console", "trainer.val_before_train=False", "trainer.n_gpus_per_node=1", "trainer.nnodes=1",
			"trainer.save_freq=10", "trainer.test_freq=10", "trainer.total_epochs=15");

	/**
	 * The keys whose value Raylane decides, so the composed config may differ there:
	 * where checkpoints go, the W&B names, and the logger list ({@code [console]} for the
	 * quickstart's {@code console}).
	 */
	static final Set<String> OWNED = Set.of("trainer.default_local_dir", "trainer.project_name",
			"trainer.experiment_name", "trainer.logger");

	/** The translations, by file name. */
	static final List<String> FIXTURES = List.of("verl-quickstart-ppo.yaml", "verl-quickstart-ppo-overrides.yaml");

	/** As strict as the API's parser: unknown fields and floats for integers fail. */
	private static final ObjectMapper YAML = Json.yaml()
		.rebuild()
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
		.build();

	static final ComposeContext CONTEXT = new ComposeContext("rl-quick", ROOT + "/jobs/rl-quick", "alice", Map.of());

	private VerlQuickstart() {
	}

	static String yaml(String fixture) {
		try {
			return Files.readString(Path.of("src/test/resources/jobspecs", fixture));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static JobSpec spec(String fixture) {
		return YAML.readValue(yaml(fixture), JobSpec.class);
	}

}
