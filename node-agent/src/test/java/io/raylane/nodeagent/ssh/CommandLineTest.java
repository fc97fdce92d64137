package io.raylane.nodeagent.ssh;

import java.util.List;

import io.raylane.jobspec.workload.ShellQuote;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLineTest {

	@Test
	void shouldQuoteEveryArgument() {
		assertThat(CommandLine.of(List.of("ray", "start", "--resources={\"raylane-pool-a\": 1000}")))
			.isEqualTo("'ray' 'start' '--resources={\"raylane-pool-a\": 1000}'");
	}

	@Test
	void shouldWriteASingleQuoteAsCloseEscapeReopen() {
		assertThat(ShellQuote.quote("it's $(id)")).isEqualTo("'it'\\''s $(id)'");
		assertThat(ShellQuote.quote("")).isEqualTo("''");
	}

	@Test
	void shouldRefuseNulAndEmptyCommands() {
		assertThatThrownBy(() -> ShellQuote.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> CommandLine.of(List.of())).isInstanceOf(IllegalArgumentException.class);
	}

}
