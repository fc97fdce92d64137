package io.raylane.observer.diagnose;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.raylane.topics.job.NcclBandwidth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bus bandwidth per node pair of a {@code nccl_check} job (issue 16 item 6), read
 * from real {@code all_reduce_perf} output: the fixtures in
 * {@code src/test/resources/nccl-tests-fixtures/} and their sources in its README (a
 * two-node H100 run from GitHub {@code lessizzmore/create-a3mega-ztan-fork}; the tail of
 * NVIDIA/nccl-tests#119; {@code mpirun --tag-output} lines from aws/aws-k8s-tester#503),
 * wrapped in the marker lines the entrypoint prints around each pair.
 */
class NcclCheckReaderTest {

	static String fixture(String name) throws Exception {
		return Files.readString(Path.of("src/test/resources/nccl-tests-fixtures", name));
	}

	static String pair(String a, String b, String output, Integer exit) {
		return "raylane-nccl-check: pair " + a + " " + b + "\n" + output
				+ ((exit != null) ? "raylane-nccl-check: exit " + exit + "\n" : "");
	}

	static Stream<Arguments> read() throws Exception {
		String h100 = fixture("h100-2x8-all_reduce_perf.txt");
		String tail119 = fixture("issue119-tail-all_reduce_perf.txt");
		String tagged = fixture("aws-pr503-tagged-all_reduce_perf.txt");
		return Stream.of(
				Arguments.of("a complete two-node run: the largest size's out-of-place busbw", pair("a", "b", h100, 0),
						List.of(new NcclBandwidth(List.of("a", "b"), 338.82, 8589934592L, 70.742, 0, 0))),
				Arguments.of("a fixed-step run's tail: the largest size, not the last line's order",
						pair("a", "b", tail119, 0),
						List.of(new NcclBandwidth(List.of("a", "b"), 95.74, 133169160L, 84.8558, 0, 0))),
				Arguments.of("mpirun --tag-output lines, still running: no summary, no exit yet",
						pair("a", "b", tagged, null),
						List.of(new NcclBandwidth(List.of("a", "b"), 0.0, 32L, null, null, null))),
				Arguments.of("a ring of three: each pair its own result, in order",
						pair("a", "b", h100, 0) + pair("b", "c", tail119, 0) + pair("c", "a", "", 7),
						List.of(new NcclBandwidth(List.of("a", "b"), 338.82, 8589934592L, 70.742, 0, 0),
								new NcclBandwidth(List.of("b", "c"), 95.74, 133169160L, 84.8558, 0, 0),
								new NcclBandwidth(List.of("c", "a"), null, null, null, null, 7))),
				Arguments.of("a pair that failed before printing a row (mpirun's own error)",
						pair("a", "b", "ssh: connect to host 10.0.0.2 port 22: Connection refused\n", 255),
						List.of(new NcclBandwidth(List.of("a", "b"), null, null, null, null, 255))),
				Arguments.of("the results without a marker (a tail that begins mid-pair) are not guessed", h100,
						List.of()),
				Arguments.of("no log", null, List.of()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void read(String scenario, String log, List<NcclBandwidth> want) {
		assertThat(NcclCheckReader.read(log, null)).isEqualTo(want);
	}

	@Test
	void shouldKeepPairsThatScrolledOutOfTheTail() throws Exception {
		List<NcclBandwidth> first = NcclCheckReader
			.read(pair("a", "b", fixture("h100-2x8-all_reduce_perf.txt"), 0) + "raylane-nccl-check: pair b c\n", null);

		List<NcclBandwidth> later = NcclCheckReader
			.read(pair("b", "c", fixture("issue119-tail-all_reduce_perf.txt"), 0), first);

		assertThat(later).containsExactly(new NcclBandwidth(List.of("a", "b"), 338.82, 8589934592L, 70.742, 0, 0),
				new NcclBandwidth(List.of("b", "c"), 95.74, 133169160L, 84.8558, 0, 0));
	}

	@Test
	void shouldKeepAtMostOnePairPerNodeOfTheLargestRing() {
		StringBuilder log = new StringBuilder();
		for (int i = 0; i < NcclCheckReader.MAX_PAIRS + 10; i++) {
			log.append(pair("n" + i, "n" + (i + 1), "", 0));
		}

		assertThat(NcclCheckReader.read(log.toString(), null)).hasSize(NcclCheckReader.MAX_PAIRS);
	}

}
