package io.raylane.jobspec.workload;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.raylane.jobspec.workload.StoragePolicy.PathField;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12 item 7: where ana's model, data, code and reward paths may point (shared root
 * {@code /shared}, read-only root {@code /datasets}), decided without the disk.
 */
class StoragePolicyTest {

	private static final StoragePolicy ANA = new StoragePolicy(Path.of("/shared"), List.of(Path.of("/datasets")),
			"ana");

	static Stream<Arguments> paths() {
		return Stream.of(
				// data and models: common/, ana's own folder, the read-only roots
				Arguments.of("common dataset", "data.train_files[0]", "/shared/common/datasets/gsm8k/train.parquet",
						false, null),
				Arguments.of("own dataset", "data.train_files[0]", "/shared/users/ana/datasets/mine.parquet", false,
						null),
				Arguments.of("own model", "model.path", "/shared/users/ana/models/q", false, null),
				Arguments.of("read-only root", "data.val_files[0]", "/datasets/public/test.parquet", false, null),
				Arguments.of("another user's dataset", "data.train_files[0]",
						"/shared/users/bob/datasets/private.parquet", false, "another user's folder"),
				Arguments.of("another user's model", "model.path", "/shared/users/bob/models/secret", false,
						"another user's folder"),
				Arguments.of("a user whose name starts like ana's", "model.path", "/shared/users/anabel/models/m",
						false, "another user's folder"),
				Arguments.of("the users folder itself", "model.path", "/shared/users", false, "must lie under"),
				Arguments.of("another job's directory", "model.path", "/shared/jobs/rl-bob/checkpoints/step_1", false,
						"must lie under"),
				Arguments.of("the shared root itself", "model.path", "/shared", false, "must lie under"),
				Arguments.of("the common folder itself", "model.path", "/shared/common", false, "must lie under"),
				Arguments.of("outside every root", "model.path", "/etc/passwd", false, "must lie under"),
				Arguments.of("a read-only root's sibling", "model.path", "/datasets-private/x", false,
						"must lie under"),
				// .. tricks: refused before normalisation could hide them
				Arguments.of("dot-dot into bob's folder", "data.train_files[0]",
						"/shared/users/ana/../bob/datasets/x.parquet", false, "'..'"),
				Arguments.of("dot-dot out of a read-only root", "model.path", "/datasets/../shared/users/bob/m", false,
						"'..'"),
				Arguments.of("dot segments", "model.path", "/shared/common/./models/../../users/bob/m", false, "'..'"),
				Arguments.of("relative path", "model.path", "users/ana/models/q", false, "absolute"),
				// code and reward: only the code folders
				Arguments.of("own code", "code_path", "/shared/users/ana/code/pkg", true, null),
				Arguments.of("common code", "reward.path", "/shared/common/code/rewards/r.py", true, null),
				Arguments.of("bob's code", "code_path", "/shared/users/bob/code/pkg", true, "another user's folder"),
				Arguments.of("code from a dataset folder", "code_path", "/shared/users/ana/datasets/pkg", true,
						"must lie under"),
				Arguments.of("code from a read-only root", "reward.path", "/datasets/r.py", true, "must lie under"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("paths")
	void shouldAllowOnlyTheCallersFoldersCommonAndTheReadOnlyRoots(String scenario, String field, String value,
			boolean code, String wantProblem) {
		Optional<String> problem = ANA.problem(new PathField(field, value, code));

		if (wantProblem == null) {
			assertThat(problem).isEmpty();
		}
		else {
			assertThat(problem).hasValueSatisfying((p) -> assertThat(p).contains(wantProblem));
		}
	}

	@ParameterizedTest(name = "user {0}")
	@MethodSource("oddUsers")
	void shouldGiveAUserNameThatIsNoPlainSegmentNoFolder(String user) {
		StoragePolicy odd = new StoragePolicy(Path.of("/shared"), List.of(), user);

		assertThat(odd.problem(new PathField("model.path", "/shared/users/" + user + "/models/m", false))).isPresent();
		assertThat(odd.problem(new PathField("model.path", "/shared/common/models/m", false))).isEmpty();
	}

	static Stream<String> oddUsers() {
		return Stream.of("..", ".", "a/b", "bob/..");
	}

}
