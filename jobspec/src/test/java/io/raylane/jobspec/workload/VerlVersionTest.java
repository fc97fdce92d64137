package io.raylane.jobspec.workload;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link VerlVersion}'s facts agree with what verl-keys/generate.py read out of each real
 * verl package (the generated resources {@code verl/<version>/}), and the versions are
 * the ones {@code verl-keys/versions.txt} installs.
 */
class VerlVersionTest {

	@Test
	void shouldListTheVersionsThatVerlKeysInstallsNewestFirstAndDefaultToTheNewest() throws IOException {
		List<String> installed = Files.readAllLines(Path.of("../verl-keys/versions.txt"))
			.stream()
			.map(String::strip)
			.filter((l) -> !l.isEmpty() && !l.startsWith("#"))
			.toList();

		assertThat(Arrays.stream(VerlVersion.values()).map(VerlVersion::label)).containsExactlyElementsOf(installed);
		assertThat(VerlVersion.DEFAULT.label()).isEqualTo(installed.get(0));
		assertThat(VerlVersion.parse(null)).contains(VerlVersion.V0_9_1);
		assertThat(VerlVersion.parse("0.9")).contains(VerlVersion.V0_9_1);
		assertThat(VerlVersion.parse("0.8.0")).contains(VerlVersion.V0_8_0);
		assertThat(VerlVersion.parse("0.5")).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(VerlVersion.class)
	void shouldNameTheModulesAndRewardKeysThePackageHas(VerlVersion version) {
		Properties facts = facts(version);

		assertThat(facts.getProperty("verl.version")).isEqualTo(version.label());
		assertThat(facts.getProperty("ppo.module")).isEqualTo(VerlVersion.PPO_MODULE);
		assertThat(facts.getProperty("sft.module")).isEqualTo(version.sftModule());
		assertThat(facts.getProperty("ppo.reward.read_from").split(","))
			.as("the reward function is read from the keys Raylane writes")
			.contains(version.rewardPathKey().replace(".path", ""));
		assertThat(VerlKeys.keys(version, false)).contains(version.rewardPathKey(), version.rewardNameKey(),
				VerlVersion.RESUME_MODE_KEY, VerlVersion.RESUME_FROM_PATH_KEY, VerlVersion.CHECKPOINT_DIR_KEY,
				"trainer.max_actor_ckpt_to_keep", "trainer.max_critic_ckpt_to_keep");
		assertThat(VerlKeys.keys(version, true)).contains(VerlVersion.RESUME_MODE_KEY, VerlVersion.RESUME_FROM_PATH_KEY,
				VerlVersion.CHECKPOINT_DIR_KEY, "trainer.max_ckpt_to_keep");
		assertThat(VerlKeys.exists(version, true, "trainer.nnodes")).as("only the Ray SFT trainer reads nnodes")
			.isEqualTo(version.hasRaySft());
	}

	@Test
	void shouldKnowWhatBecameOfTheOldRewardKeys() {
		VerlKeys.LegacyKey ignored = VerlKeys.legacy(VerlVersion.V0_9_1, "custom_reward_function.reward_kwargs.a")
			.orElseThrow();
		VerlKeys.LegacyKey moved = VerlKeys.legacy(VerlVersion.V0_8_0, "custom_reward_function.path").orElseThrow();

		assertThat(ignored.ignored()).isTrue();
		assertThat(ignored.replacement("custom_reward_function.reward_kwargs.a"))
			.isEqualTo("reward.custom_reward_function.reward_kwargs.a");
		assertThat(moved.ignored()).isFalse();
		assertThat(moved.replacement("custom_reward_function.path")).isEqualTo("reward.custom_reward_function.path");
		assertThat(VerlKeys.legacy(VerlVersion.V0_7_0, "custom_reward_function.path")).as("0.7 still reads them")
			.isEmpty();
		assertThat(facts(VerlVersion.V0_9_1).getProperty("ppo.reward.legacy_moved_at_start")).isEqualTo("false");
		assertThat(facts(VerlVersion.V0_8_0).getProperty("ppo.reward.legacy_moved_at_start")).isEqualTo("true");
	}

	static Properties facts(VerlVersion version) {
		Properties facts = new Properties();
		try {
			facts.load(new StringReader(String.join("\n", VerlKeys.lines(version, "facts.properties"))));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return facts;
	}

}
