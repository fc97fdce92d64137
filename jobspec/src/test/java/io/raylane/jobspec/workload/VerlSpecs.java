package io.raylane.jobspec.workload;

import java.util.List;
import java.util.Map;

import io.raylane.topics.job.CheckpointSpec;
import io.raylane.topics.job.DataSpec;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.ModelSpec;
import io.raylane.topics.job.Resources;
import io.raylane.topics.job.RewardSpec;
import io.raylane.topics.job.TrainerSpec;
import io.raylane.topics.job.WandbSpec;

/**
 * Minimal and full verl JobSpecs of the tests, under the shared root {@code /shared},
 * owned by {@code ana}.
 */
final class VerlSpecs {

	static final String ROOT = "/shared";

	static final ComposeContext CONTEXT = new ComposeContext("j-42", "/shared/jobs/j-42", "ana",
			Map.of("NCCL_IB_HCA", "mlx5", "NCCL_SOCKET_IFNAME", "eth0"));

	private VerlSpecs() {
	}

	static JobSpec minimal(String workload, String version) {
		return spec(workload, version, Resources.of(1, 8), null, null, null, null, null, null, Map.of());
	}

	static JobSpec full(String workload, String version) {
		boolean sft = workload.equals("sft");
		boolean multiNodeSft = sft && !version.startsWith("0.6");
		TrainerSpec trainer = sft
				? new TrainerSpec(2, null, 128, null, 2, null, null, 4096, 0.00001, null, null, null, null, 50, null,
						"auto")
				: new TrainerSpec(3, 500, 128, 32, 2, 2048, 4096, null, 0.000001, "sglang",
						workload.equals("grpo") ? 8 : null, 4, 0.6, 25, false, "disable");
		List<String> overrides = sft ? List.of("data.messages_key=conversations", "++engine.strategy=fsdp2")
				: List.of("actor_rollout_ref.actor.entropy_coeff=0", "++trainer.wandb_proxy=http://proxy:3128");
		return spec(workload, version, Resources.of(multiNodeSft || !sft ? 2 : 1, 8), trainer,
				new CheckpointSpec(20, 2),
				sft ? null : new RewardSpec("/shared/users/ana/code/rw/my_reward.py", "score"),
				new WandbSpec(true, "team a/math", "run #7"), "/shared/users/ana/code/v12", overrides,
				Map.of("NCCL_IB_HCA", "mlx5_1", "SEED", "it's 7"));
	}

	private static JobSpec spec(String workload, String version, Resources resources, TrainerSpec trainer,
			CheckpointSpec checkpoint, RewardSpec reward, WandbSpec wandb, String codePath, List<String> overrides,
			Map<String, String> env) {
		List<String> val = (trainer != null) ? List.of("/shared/common/datasets/math/test.parquet") : null;
		List<String> train = (trainer != null)
				? List.of("/shared/common/datasets/math/train.parquet", "/shared/users/ana/datasets/extra.parquet")
				: List.of("/shared/common/datasets/math/train.parquet");
		return new JobSpec("math-" + workload, workload, null, "default", resources, null, env, null, version,
				new ModelSpec("/shared/common/models/Qwen2.5-0.5B"), new DataSpec(train, val), trainer, checkpoint,
				codePath, reward, wandb, overrides);
	}

	private static JobSpec spec(String workload, String version, Resources resources, TrainerSpec trainer,
			CheckpointSpec checkpoint, RewardSpec reward, WandbSpec wandb, Map<String, String> env) {
		return spec(workload, version, resources, trainer, checkpoint, reward, wandb, null, null, env);
	}

}
