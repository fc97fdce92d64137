package io.raylane.jobspec.workload;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The keys a plain {@code a.b=v} override may name: for PPO/GRPO every key of verl's
 * flattened {@code ppo_trainer} config of the version (docs/reference/verl.md §1); for
 * SFT, whose key list verl does not flatten, the keys docs/reference/verl.md §1 names for
 * the engine trainer. Any other key needs {@code +} or {@code ++}.
 */
public final class VerlKeys {

	/**
	 * SFT engine keys named in docs/reference/verl.md §1 ({@code sft_trainer_engine}
	 * config).
	 */
	static final Set<String> SFT = Set.of("data.train_files", "data.val_files", "data.train_batch_size",
			"data.micro_batch_size_per_gpu", "data.messages_key", "data.tools_key", "data.max_length", "data.pad_mode",
			"data.use_dynamic_bsz", "data.max_token_len_per_gpu", "model.path", "optim.lr", "engine", "engine.strategy",
			"engine.ulysses_sequence_parallel_size", "checkpoint.save_contents", "trainer.default_local_dir",
			"trainer.total_epochs", "trainer.total_training_steps", "trainer.logger", "trainer.project_name",
			"trainer.experiment_name", "trainer.save_freq", "trainer.test_freq", "trainer.max_ckpt_to_keep",
			"trainer.resume_mode", "trainer.nnodes", "trainer.n_gpus_per_node");

	private static final Map<VerlVersion, Set<String>> PPO = new EnumMap<>(VerlVersion.class);

	static {
		for (VerlVersion version : VerlVersion.values()) {
			PPO.put(version, load(version.keyFile()));
		}
	}

	private VerlKeys() {
	}

	/** Whether {@code key} exists in the config the workload's entry point composes. */
	public static boolean exists(VerlVersion version, boolean sft, String key) {
		return sft ? SFT.contains(key) : PPO.get(version).contains(key);
	}

	private static Set<String> load(String file) {
		try (InputStream in = VerlKeys.class.getResourceAsStream(file)) {
			if (in == null) {
				throw new IllegalStateException("missing key list " + file);
			}
			try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
				return reader.lines()
					.map(String::strip)
					.filter((l) -> !l.isEmpty())
					.collect(Collectors.toUnmodifiableSet());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
