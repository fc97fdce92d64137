package io.raylane.jobspec.workload;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The verl versions Raylane composes commands for, and the facts of each that the
 * composer and later readers (resume, progress) need. Every key named here is checked
 * against the version's generated key lists ({@code VerlVersionTest}), and where verl
 * reads the reward function against its start-up facts ({@code facts.properties}, written
 * by {@code verl-keys/generate.py} from the installed package; docs/reference/verl.md
 * §1):
 * <ul>
 * <li>0.9.1 reads the custom reward function only from
 * {@code reward.custom_reward_function.*}; the old top-level
 * {@code custom_reward_function.*} is still in its config but never read.</li>
 * <li>0.8.0 reads {@code reward.custom_reward_function.*} and moves the old keys there at
 * start-up.</li>
 * <li>0.7.0 and 0.6.1 read only the top-level {@code custom_reward_function.*}.</li>
 * <li>SFT: {@code verl.trainer.sft_trainer_ray} (multi-node Ray) from 0.7.0; 0.6.1 has
 * only torchrun's {@code verl.trainer.sft_trainer}, on one node. Both compose the
 * {@code sft_trainer_engine} config.</li>
 * </ul>
 */
public enum VerlVersion {

	V0_9_1("0.9.1", List.of("0.9", "0.9.1"), "reward.custom_reward_function", true),
	V0_8_0("0.8.0", List.of("0.8", "0.8.0"), "reward.custom_reward_function", true),
	V0_7_0("0.7.0", List.of("0.7", "0.7.0"), "custom_reward_function", true),
	V0_6_1("0.6.1", List.of("0.6", "0.6.1"), "custom_reward_function", false);

	/** The version used when a spec names none: the current verl release. */
	public static final VerlVersion DEFAULT = V0_9_1;

	/** PPO and GRPO's entry module (Hydra config {@code ppo_trainer}), every version. */
	public static final String PPO_MODULE = "verl.trainer.main_ppo";

	/**
	 * Resume keys, the same in every supported version for PPO, GRPO and SFT:
	 * {@code auto} / {@code disable} / {@code resume_path}, and the
	 * {@code .../global_step_N} folder {@code resume_path} starts from.
	 */
	public static final String RESUME_MODE_KEY = "trainer.resume_mode";

	public static final String RESUME_FROM_PATH_KEY = "trainer.resume_from_path";

	/** The resume mode that loads {@link #RESUME_FROM_PATH_KEY}. */
	public static final String RESUME_PATH_MODE = "resume_path";

	/**
	 * PPO/GRPO (every version): whether the loader deletes the checkpoint it loaded.
	 * SFT's config has no such key.
	 */
	public static final String DEL_AFTER_LOAD_KEY = "trainer.del_local_ckpt_after_load";

	/** Where checkpoints go (absolute, on the shared storage), every version. */
	public static final String CHECKPOINT_DIR_KEY = "trainer.default_local_dir";

	private final String label;

	private final List<String> spellings;

	private final String rewardFunctionPrefix;

	private final boolean raySft;

	VerlVersion(String label, List<String> spellings, String rewardFunctionPrefix, boolean raySft) {
		this.label = label;
		this.spellings = spellings;
		this.rewardFunctionPrefix = rewardFunctionPrefix;
		this.raySft = raySft;
	}

	/** The exact version, e.g. {@code 0.9.1}: the key lists' folder name. */
	public String label() {
		return this.label;
	}

	/** What a JobSpec's {@code verl_version} may say for this version. */
	public List<String> spellings() {
		return this.spellings;
	}

	/** Whether SFT can run as a multi-node Ray job ({@code sft_trainer_ray}). */
	public boolean hasRaySft() {
		return this.raySft;
	}

	/** The SFT entry module (Hydra config {@code sft_trainer_engine}). */
	public String sftModule() {
		return this.raySft ? "verl.trainer.sft_trainer_ray" : "verl.trainer.sft_trainer";
	}

	/**
	 * The key of the custom reward function's file that this version's PPO trainer reads.
	 */
	public String rewardPathKey() {
		return this.rewardFunctionPrefix + ".path";
	}

	/** The key of the custom reward function's name that this version reads. */
	public String rewardNameKey() {
		return this.rewardFunctionPrefix + ".name";
	}

	/**
	 * {@code null} or blank → {@link #DEFAULT}; otherwise one of the accepted spellings.
	 */
	public static Optional<VerlVersion> parse(String value) {
		if (value == null || value.isBlank()) {
			return Optional.of(DEFAULT);
		}
		return Arrays.stream(values()).filter((v) -> v.spellings.contains(value.trim())).findFirst();
	}

	public static String accepted() {
		return String.join(", ", Arrays.stream(values()).flatMap((v) -> v.spellings.stream()).toList());
	}

}
