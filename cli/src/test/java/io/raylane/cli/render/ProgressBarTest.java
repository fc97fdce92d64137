package io.raylane.cli.render;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressBarTest {

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void line(String scenario, Integer step, Integer total, String status, String want) {
		assertThat(ProgressBar.line(step, total, status)).isEqualTo(want);
	}

	static Stream<Arguments> line() {
		return Stream.of(
				Arguments.of("a verl job a third through", 10, 30, "RUNNING",
						"[##########....................]  10/30   33%  RUNNING"),
				Arguments.of("the last step", 200, 200, "SUCCEEDED",
						"[##############################]  200/200  100%  SUCCEEDED"),
				Arguments.of("no step yet", 0, 50, "RUNNING", "[..............................]  0/50    0%  RUNNING"),
				Arguments.of("a step past the total is shown as done", 12, 10, "RUNNING",
						"[##############################]  10/10  100%  RUNNING"),
				Arguments.of("a command job waiting: an empty bar", null, null, "QUEUED",
						"[..............................]  QUEUED"),
				Arguments.of("a command job that succeeded: a full bar", null, null, "SUCCEEDED",
						"[##############################]  SUCCEEDED"),
				Arguments.of("a failed job keeps its bar where it stopped", 3, 6, "FAILED",
						"[###############...............]  3/6   50%  FAILED"),
				Arguments.of("no total: no fraction", 5, null, "RUNNING", "[..............................]  RUNNING"),
				Arguments.of("no status", null, null, null, "[..............................]  UNKNOWN"));
	}

}
