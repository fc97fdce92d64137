package io.raylane.api.jobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.raylane.support.RaylaneSettings;
import io.raylane.topics.job.DataSpec;
import io.raylane.topics.job.FieldError;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.ModelSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 item 7 on a real disk: ana's data and model paths stay in {@code common/}, her
 * own {@code users/ana/} and the read-only root, also when a symlink on the way points
 * elsewhere.
 */
class SharedStorageTest {

	@TempDir
	Path dir;

	Path root;

	Path readOnly;

	SharedStorage storage;

	@BeforeEach
	void layOut() throws Exception {
		this.root = Files.createDirectories(this.dir.resolve("shared"));
		this.readOnly = Files.createDirectories(this.dir.resolve("datasets"));
		for (String file : List.of("common/datasets/gsm8k.parquet", "users/ana/datasets/mine.parquet",
				"users/bob/datasets/secret.parquet", "users/bob/models/m/config.json",
				"jobs/rl-bob/checkpoints/step_1/model.pt")) {
			Files.createDirectories(this.root.resolve(file).getParent());
			Files.writeString(this.root.resolve(file), "x");
		}
		Files.writeString(this.readOnly.resolve("public.parquet"), "x");
		Files.writeString(this.dir.resolve("outside.parquet"), "x");
		Path anaData = this.root.resolve("users/ana/datasets");
		Files.createSymbolicLink(anaData.resolve("to-bob.parquet"),
				this.root.resolve("users/bob/datasets/secret.parquet"));
		Files.createSymbolicLink(anaData.resolve("bob-dir"), this.root.resolve("users/bob/datasets"));
		Files.createSymbolicLink(anaData.resolve("to-job"), this.root.resolve("jobs/rl-bob/checkpoints"));
		Files.createSymbolicLink(anaData.resolve("outside.parquet"), this.dir.resolve("outside.parquet"));
		Files.createSymbolicLink(anaData.resolve("public.parquet"), this.readOnly.resolve("public.parquet"));
		Files.createSymbolicLink(this.root.resolve("common/datasets/bob-models"),
				this.root.resolve("users/bob/models"));
		this.storage = new SharedStorage(settings(), "python3");
	}

	RaylaneSettings settings() {
		return new RaylaneSettings(new RaylaneSettings.Shared(this.root, List.of(this.readOnly)),
				new RaylaneSettings.Data(this.dir.resolve("data")),
				new RaylaneSettings.Ray("http://127.0.0.1:1", null, null), new RaylaneSettings.Kafka((short) 1),
				new RaylaneSettings.Users(null));
	}

	static Stream<Arguments> paths() {
		return Stream.of(Arguments.of("common dataset", "common/datasets/gsm8k.parquet", null),
				Arguments.of("own dataset", "users/ana/datasets/mine.parquet", null),
				Arguments.of("read-only root", "{ro}/public.parquet", null),
				Arguments.of("own link into the read-only root", "users/ana/datasets/public.parquet", null),
				Arguments.of("bob's dataset", "users/bob/datasets/secret.parquet", "another user's folder"),
				Arguments.of("own link to bob's file", "users/ana/datasets/to-bob.parquet", "through a symlink"),
				Arguments.of("own link to bob's folder", "users/ana/datasets/bob-dir/secret.parquet",
						"through a symlink"),
				Arguments.of("own link to another job's checkpoints", "users/ana/datasets/to-job/step_1/model.pt",
						"through a symlink"),
				Arguments.of("own link out of the shared root", "users/ana/datasets/outside.parquet",
						"through a symlink"),
				Arguments.of("common link to bob's models", "common/datasets/bob-models/m/config.json",
						"through a symlink"),
				Arguments.of("dot-dot into bob's folder", "users/ana/../bob/datasets/secret.parquet", "'..'"));
	}

	@Test
	void shouldCheckTheRewardFileItValidatedAlsoWhenAFolderIsSwappedForALinkMeanwhile() throws Exception {
		// issue 12: ana's reward folder becomes a link to bob's between the path check
		// and
		// the read; bob's file defines compute_score, ana's does not
		Path anaCode = Files.createDirectories(this.root.resolve("users/ana/code/v1"));
		Path bobCode = Files.createDirectories(this.root.resolve("users/bob/code/v1"));
		Files.writeString(anaCode.resolve("reward.py"), "def other(x):\n    return 0\n");
		Files.writeString(bobCode.resolve("reward.py"), "def compute_score(**kw):\n    return 1\n");
		SharedStorage racing = new SharedStorage(settings(), () -> {
			try {
				Files.move(anaCode, anaCode.resolveSibling("v1-old"));
				Files.createSymbolicLink(anaCode, bobCode);
			}
			catch (java.io.IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		}, new RewardCheck("python3"));

		List<FieldError> errors = racing.check(rewardSpec(anaCode.resolve("reward.py")), "ana");

		assertThat(errors).singleElement().satisfies((e) -> {
			assertThat(e.field()).isEqualTo("reward.path");
			assertThat(e.message()).contains("changed into a link");
		});
	}

	@Test
	void shouldReadTheRewardFileThroughALinkInsideOwnCodeFolder() throws Exception {
		Path v2 = Files.createDirectories(this.root.resolve("users/ana/code/v2"));
		Files.writeString(v2.resolve("reward.py"), "async def compute_score(**kw):\n    return 1\n");
		Files.createSymbolicLink(this.root.resolve("users/ana/code/latest"), v2);

		assertThat(this.storage.check(rewardSpec(this.root.resolve("users/ana/code/latest/reward.py")), "ana"))
			.isEmpty();
		Files.writeString(v2.resolve("reward.py"), "def other(x):\n    return 1\n");
		assertThat(this.storage.check(rewardSpec(v2.resolve("reward.py")), "ana")).singleElement()
			.satisfies((e) -> assertThat(e.field()).isEqualTo("reward.function"));
	}

	JobSpec rewardSpec(Path reward) {
		return new JobSpec(null, "grpo", null, null, null, null, null, null, "0.7",
				new ModelSpec(this.root + "/common/datasets/gsm8k.parquet"),
				new DataSpec(List.of(this.root + "/common/datasets/gsm8k.parquet"), null), null, null, null,
				new io.raylane.topics.job.RewardSpec(reward.toString(), null), null, null);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("paths")
	void shouldKeepDataPathsInTheCallersFolders(String scenario, String path, String wantProblem) {
		String value = path.startsWith("{ro}") ? path.replace("{ro}", this.readOnly.toString())
				: this.root + "/" + path;
		JobSpec spec = new JobSpec(null, "ppo", null, null, null, null, null, null, "0.7",
				new ModelSpec(this.root + "/common/datasets/gsm8k.parquet"), new DataSpec(List.of(value), null), null,
				null, null, null, null, null);

		List<FieldError> errors = this.storage.check(spec, "ana");

		if (wantProblem == null) {
			assertThat(errors).isEmpty();
		}
		else {
			assertThat(errors).singleElement().satisfies((e) -> {
				assertThat(e.field()).isEqualTo("data.train_files[0]");
				assertThat(e.message()).contains(wantProblem);
			});
		}
	}

}
