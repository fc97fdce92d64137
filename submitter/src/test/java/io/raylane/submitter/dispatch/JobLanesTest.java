package io.raylane.submitter.dispatch;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class JobLanesTest {

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			a               | [[0]]
			a,b,c           | [[0], [1], [2]]
			a,b,a           | [[0, 2], [1]]
			a,a,a           | [[0, 1, 2]]
			b,a,b,c,a       | [[0, 2], [1, 4], [3]]
			""")
	void shouldKeepEachJobsRecordsInOneLaneInOffsetOrder(String keys, String lanes) {
		assertThat(JobLanes.of(List.of(keys.split(","))).toString()).isEqualTo(lanes);
	}

	@Test
	void shouldGiveEveryKeylessRecordALaneOfItsOwn() {
		assertThat(JobLanes.of(Arrays.asList("a", null, null, "a")).toString()).isEqualTo("[[0, 3], [1], [2]]");
	}

	@Test
	void shouldHaveNoLanesForAnEmptyBatch() {
		assertThat(JobLanes.of(List.of())).isEmpty();
	}

	@ParameterizedTest(name = "failed {0} -> from {1}")
	@CsvSource(delimiter = '|', textBlock = """
			''      | -1
			3       | 3
			4,1,7   | 1
			0,2     | 0
			""")
	void shouldRedeliverFromTheEarliestFailedRecord(String failed, int from) {
		List<Integer> positions = failed.isEmpty() ? List.of()
				: Arrays.stream(failed.split(",")).map(Integer::valueOf).toList();

		assertThat(JobLanes.redeliverFrom(positions)).isEqualTo(from);
	}

}
