package io.raylane.api.code;

import io.raylane.api.code.EntryRules.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class EntryRulesTest {

	@ParameterizedTest(name = "{0} ({1}) → {2}")
	@CsvSource(delimiter = '|', nullValues = "none",
			value = { "verl_mine/trainer.py | FILE | verl_mine/trainer.py", "./setup.py | FILE | setup.py",
					"pkg/ | DIRECTORY | pkg", "./ | DIRECTORY | ''", "a/b/c/d.txt | FILE | a/b/c/d.txt",
					"dots..in..name.py | FILE | dots..in..name.py" })
	void shouldKeepARelativePathInsideTheSnapshot(String name, Kind kind, String path) {
		EntryRules.Result result = EntryRules.check(name, kind);

		assertThat(result.refused()).isFalse();
		assertThat(result.path()).isEqualTo(path);
	}

	@ParameterizedTest(name = "{0} ({1}) refused: {2}")
	@CsvSource(delimiter = '|',
			value = { "/etc/passwd | FILE | absolute", "C:/x.py | FILE | absolute", "a\\b.py | FILE | absolute",
					"../outside.py | FILE | '..'", "a/../../x | FILE | '..'", "a/.. | DIRECTORY | '..'",
					"a//b | FILE | empty path segment", "link | SYMLINK | links are refused",
					"hard | HARDLINK | links are refused", "dev/sda | DEVICE | only regular files",
					"pipe | FIFO | only regular files", "sock | OTHER | only regular files", "'' | FILE | empty" })
	void shouldRefuseAnEntryThatCouldLeaveOrIsNotPlainData(String name, Kind kind, String reason) {
		EntryRules.Result result = EntryRules.check(name, kind);

		assertThat(result.refused()).isTrue();
		assertThat(result.problem()).contains(reason);
	}

	@ParameterizedTest(name = "name {0} valid: {1}")
	@CsvSource(nullValues = "none",
			value = { "verl-mine, true", "v1.2_final, true", "A, true", "none, false", "'', false", ".hidden, false",
					"-dash, false", "a/b, false", "a..b, false", "with space, false",
					"x12345678901234567890123456789012345678901234567890123456789012345, false" })
	void shouldTakeOnlyAPlainFolderNameAsTheSnapshotsName(String name, boolean valid) {
		assertThat(EntryRules.nameProblem(name).isEmpty()).isEqualTo(valid);
	}

}
