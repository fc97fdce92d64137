package io.raylane.api.jobs;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import io.raylane.api.jobs.RewardVerdict.Result;
import io.raylane.topics.job.FieldError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The reward file check by Python's parser (issue 13 item 5), table-driven through the
 * real {@code python3 -I -S} child. verl calls the function as
 * {@code fn(data_source=…, solution_str=…, ground_truth=…, extra_info=…, **reward_kwargs)}.
 */
@org.junit.jupiter.api.Tag("slow")
class RewardCheckTest {

	static final RewardCheck CHECK = new RewardCheck("python3");

	@BeforeAll
	static void python() {
		assumeTrue(
				new RewardCheck("python3").check("def f(**kw): pass\n".getBytes(StandardCharsets.UTF_8), "f", List.of())
					.note() == null,
				"python3 is not on PATH: the reward check falls back (see fallback tests)");
	}

	static Stream<Arguments> files() {
		String all = "def compute_score(data_source, solution_str, ground_truth, extra_info=None):\n    return 1.0\n";
		return Stream.of(Arguments.of("verl's four keywords", all, List.of(), Result.OK, null),
				Arguments.of("**kwargs takes them all", "def compute_score(**kwargs):\n    return 0\n", List.of(),
						Result.OK, null),
				Arguments.of("async def",
						"async def compute_score(data_source, solution_str, ground_truth, "
								+ "extra_info, **kw):\n    return 0\n",
						List.of(), Result.OK, null),
				Arguments.of("keyword-only parameters",
						"def compute_score(*, data_source, solution_str, "
								+ "ground_truth, extra_info):\n    return 0\n",
						List.of(), Result.OK, null),
				Arguments.of("a parameter verl does not pass", "def compute_score(x):\n    return 0\n", List.of(),
						Result.INCOMPATIBLE, "does not accept the keyword 'data_source'"),
				Arguments.of("extra_info missing",
						"def compute_score(data_source, solution_str, ground_truth):\n" + "    return 0\n", List.of(),
						Result.INCOMPATIBLE, "'extra_info'"),
				Arguments.of("a required parameter without a default",
						"def compute_score(data_source, solution_str, "
								+ "ground_truth, extra_info, strict, **kw):\n    return 0\n",
						List.of(), Result.INCOMPATIBLE, "requires 'strict'"),
				Arguments.of("the same parameter given by reward_kwargs",
						"def compute_score(data_source, "
								+ "solution_str, ground_truth, extra_info, strict):\n    return 0\n",
						List.of("strict"), Result.OK, null),
				Arguments.of("positional-only", "def compute_score(data_source, /, **kw):\n    return 0\n", List.of(),
						Result.INCOMPATIBLE, "positional-only 'data_source'"),
				Arguments.of("a class", "class compute_score:\n    pass\n", List.of(), Result.INCOMPATIBLE, "a class"),
				Arguments.of("the last definition wins", all + "def compute_score(x):\n    return 0\n", List.of(),
						Result.INCOMPATIBLE, "'data_source'"),
				Arguments.of("a lambda", "compute_score = lambda **kw: 1.0\n", List.of(), Result.OK, null),
				Arguments.of("only a nested def", "def outer():\n    def compute_score(**kw):\n        return 0\n",
						List.of(), Result.FUNCTION_MISSING, null),
				Arguments.of("only in a comment", "# def compute_score(**kw):\nx = 1\n", List.of(),
						Result.FUNCTION_MISSING, null),
				Arguments.of("an unclosed parenthesis", "def compute_score(**kw):\n    return max(1,\n", List.of(),
						Result.SYNTAX_ERROR, "was never closed"),
				Arguments.of("a bad indent on line 3", "import math\ndef compute_score(**kw):\nreturn 1\n", List.of(),
						Result.SYNTAX_ERROR, "expected an indented block"),
				Arguments.of("a null byte", "def compute_score(**kw):\n    return 1\u0000\n", List.of(),
						Result.SYNTAX_ERROR, "null bytes"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("files")
	void check(String scenario, String source, List<String> kwargs, Result want, String wantMessage) {
		RewardVerdict verdict = CHECK.check(source.getBytes(StandardCharsets.UTF_8), "compute_score", kwargs);

		assertThat(verdict.result()).isEqualTo(want);
		if (wantMessage != null) {
			assertThat(verdict.message()).contains(wantMessage);
		}
	}

	@Test
	void shouldNameTheLineOfASyntaxErrorInTheRefusal() {
		RewardVerdict verdict = CHECK.check("import math\ndef compute_score(**kw):\nreturn 1\n".getBytes(),
				"compute_score", List.of());

		FieldError refusal = verdict.refusal("/mnt/shared/users/ana/code/r.py", "compute_score").orElseThrow();
		assertThat(refusal.field()).isEqualTo("reward.path");
		assertThat(refusal.message()).startsWith("'/mnt/shared/users/ana/code/r.py' has a syntax error at line 3: ")
			.contains("expected an indented block");
	}

	@Test
	void shouldNeverRunTheUsersCode() throws Exception {
		java.nio.file.Path marker = java.nio.file.Files.createTempFile("reward-ran", ".txt");
		java.nio.file.Files.delete(marker);
		String source = "open(" + pyString(marker.toString()) + ", 'w').write('ran')\n"
				+ "def compute_score(**kw):\n    return 1\n";

		assertThat(CHECK.check(source.getBytes(), "compute_score", List.of()).result()).isEqualTo(Result.OK);
		assertThat(marker).doesNotExist();
	}

	@Test
	void shouldCheckOnlyTheDefinitionWhenTheOverridesChangeTheCall() {
		// null: an override picked another reward manager (RewardSource.extraKeywords)
		assertThat(CHECK.check("def compute_score(a, b):\n    return 0\n".getBytes(), "compute_score", null).result())
			.isEqualTo(Result.OK);
	}

	@Test
	void shouldFallBackToTheDefCheckWithoutPython() {
		RewardCheck none = new RewardCheck("/nonexistent/python3");

		RewardVerdict defined = none.check("def compute_score(x):\n  return 0\n".getBytes(), "compute_score",
				List.of());
		RewardVerdict missing = none.check("def other(x):\n  return 0\n".getBytes(), "compute_score", List.of());

		assertThat(defined.result()).isEqualTo(Result.OK);
		assertThat(defined.note()).isEqualTo(RewardCheck.FALLBACK_NOTE);
		assertThat(missing.refusal("r.py", "compute_score").orElseThrow().message())
			.contains("defines no top-level function 'compute_score' (checked without Python");
	}

	private static String pyString(String s) {
		return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
	}

}
