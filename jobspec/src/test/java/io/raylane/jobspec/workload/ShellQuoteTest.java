package io.raylane.jobspec.workload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The one quoting every value that reaches a shell goes through (entrypoints,
 * {@code submit_cmd.txt}, SSH command lines). Proves it with a real shell:
 * {@code /bin/sh -c 'printf %s <quoted>'} must print the value exactly.
 */
class ShellQuoteTest {

	@Test
	void shouldQuoteAnApostropheThePosixWay() {
		assertThat(ShellQuote.quote("it's")).isEqualTo("'it'\\''s'");
		assertThat(ShellQuote.quote("")).isEqualTo("''");
	}

	@ParameterizedTest
	@ValueSource(strings = { "plain", "two  words", "it's", "''", "'", "$(touch /tmp/raylane-pwned)", "`id`",
			"$HOME ${PATH}", "line 1\nline 2\n", "\\n and \\ backslash", "semi; rm -rf / && echo | cat > x",
			"\"double\" 'single'", "* ? [a-z] ~ #", "tab\tand\rcr", "-n", "%s %d", "" })
	void shouldRoundTripThroughARealShell(String value) throws Exception {
		assertThat(throughShell("printf %s " + ShellQuote.quote(value))).isEqualTo(value);
	}

	@Test
	void shouldRoundTripNonAsciiThroughARealShell() throws Exception {
		// the JVM encodes process arguments in its locale's charset; only a UTF-8 JVM can
		// pass these bytes
		assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")));
		String value = "ünïcødé ✓ 'quoted'";

		assertThat(throughShell("printf %s " + ShellQuote.quote(value))).isEqualTo(value);
	}

	@Test
	void shouldKeepAQuotedEntrypointOneArgument() throws Exception {
		String entrypoint = "python3 -c 'print(1)' && echo \"$(date)\"";

		assertThat(throughShell("set -- " + ShellQuote.quote(entrypoint) + "; printf %s \"$#|$1\""))
			.isEqualTo("1|" + entrypoint);
	}

	@Test
	void shouldRefuseNul() {
		assertThatThrownBy(() -> ShellQuote.quote("a\0b")).isInstanceOf(IllegalArgumentException.class);
	}

	private static String throughShell(String script) throws Exception {
		return RealShell.run(script);
	}

}
