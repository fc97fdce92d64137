package io.raylane.deploy.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's CPU-time reading: /proc/&lt;pid&gt;/stat lines, fixtures in the format
 * of proc(5).
 */
class FootprintTest {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			# stat line (fields 1..15 and one more)                         | CPU seconds
			4242 (java) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 56 0 0   | 12.9
			4242 (my prog) (x) R 1 4242 4242 0 -1 0 0 0 0 0 0 0 0 0          | 0.0
			7 (java) S 1 7 7 0 -1 0 0 0 0 0 250 50 99 99                     | 3.0
			""")
	void cpuSecondsAreUserPlusSystemTicksAfterTheCommandName(String statLine, double seconds) {
		assertThat(Footprint.cpuSeconds(statLine)).isEqualTo(seconds);
	}

}
