package io.raylane.cli.render;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogTailTest {

	@Test
	void shouldKeepTheLastLines() {
		assertThat(LogTail.last("a\nb\nc\nd\n", 2)).isEqualTo("c\nd\n");
		assertThat(LogTail.last("a\nb", 5)).isEqualTo("a\nb\n");
		assertThat(LogTail.last("", 5)).isEmpty();
		assertThat(LogTail.last(null, 5)).isEmpty();
	}

}
