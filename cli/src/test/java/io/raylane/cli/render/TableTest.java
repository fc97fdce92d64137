package io.raylane.cli.render;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TableTest {

	@Test
	void shouldPadColumnsToTheirWidestCellAndShowEmptyCellsAsDashes() {
		String table = Table.render(List.of("JOB", "STATUS", "REASON"),
				List.of(List.of("rl-1", "RUNNING", ""), Arrays.asList("rl-22", "QUEUED", null)));

		assertThat(table).isEqualTo("""
				JOB    STATUS   REASON
				rl-1   RUNNING  -
				rl-22  QUEUED   -
				""");
	}

	@Test
	void shouldKeepEachRowOnOneLine() {
		String table = Table.render(List.of("A", "B"), List.of(List.of("x", "two\nlines")));

		assertThat(table.lines()).containsExactly("A  B", "x  two lines");
	}

}
