package io.raylane.jobspec.workload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a script through {@code /bin/sh -c}: the tests' proof that quoted values reach a
 * real shell intact.
 */
public final class RealShell {

	private RealShell() {
	}

	/** What the script printed (stdout and stderr); asserts it exited 0. */
	public static String run(String script) throws IOException, InterruptedException {
		Process sh = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
		try {
			byte[] out = sh.getInputStream().readAllBytes();
			assertThat(sh.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(sh.exitValue()).isZero();
			return new String(out, StandardCharsets.UTF_8);
		}
		finally {
			sh.destroyForcibly();
		}
	}

}
