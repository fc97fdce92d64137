package io.raylane.deploy;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class QuickStartCompilerTest {

	@ParameterizedTest
	@CsvSource(textBlock = """
			# TieredCompilation, TieredStopAtLevel, leave C2 out while starting
			true,  4, true
			false, 4, false
			true,  1, false
			true,  3, false
			'',    '', false
			""")
	void leavesC2OutOnlyWhenC1CanTakeItsPlace(String tiered, String stopAtLevel, boolean applies) {
		assertThat(QuickStartCompiler.applies(tiered, stopAtLevel)).isEqualTo(applies);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			# Compiler.directives_add's answer                 | added
			1 compiler directives added                         | true
			'\n1 compiler directives added\n'                   | true
			Parsing of compiler directives failed               | false
			0 compiler directives added                         | false
			""")
	void countsTheDirectiveAddedOnlyWhenTheJvmSaysSo(String answer, boolean added) {
		assertThat(QuickStartCompiler.added(answer.replace("\\n", "\n"))).isEqualTo(added);
	}

	@Test
	void addsTheDirectiveToThisJvmAndRemovesItAgain() throws Exception {
		String before = QuickStartCompiler.command("compilerDirectivesPrint");
		try (QuickStartCompiler compiler = QuickStartCompiler.add()) {
			assertThat(QuickStartCompiler.command("compilerDirectivesPrint")).isNotEqualTo(before)
				.containsPattern("c2 directives:\\s+inline: -\\s+Enable:true Exclude:true");
		}
		assertThat(QuickStartCompiler.command("compilerDirectivesPrint")).isEqualTo(before);
	}

	/**
	 * The fast tier's JVM runs with {@code -XX:TieredStopAtLevel=1} (the root pom's
	 * surefire argLine): no C2 to leave out, so nothing is added.
	 */
	@Test
	void leavesAJvmWithoutC2AsItIs() throws Exception {
		assertThat(QuickStartCompiler.applies("true",
				ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
					.getVMOption("TieredStopAtLevel")
					.getValue()))
			.as("this test expects the surefire JVM's TieredStopAtLevel=1")
			.isFalse();
		String before = QuickStartCompiler.command("compilerDirectivesPrint");
		try (QuickStartCompiler compiler = QuickStartCompiler.begin()) {
			assertThat(QuickStartCompiler.command("compilerDirectivesPrint")).isEqualTo(before);
		}
	}

}
