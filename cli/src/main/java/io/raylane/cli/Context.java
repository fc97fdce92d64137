package io.raylane.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

import io.raylane.cli.config.CliConfig;

/**
 * What a command may touch outside itself: the environment (for RAYLANE_CONFIG,
 * RAYLANE_URL, RAYLANE_TOKEN), the home folder, and where it writes. Passed in, so tests
 * run the CLI in-process with their own.
 *
 * @param env the environment variables
 * @param home the user's home (the default config lives below it)
 * @param out standard output: the answers
 * @param err standard error: the one-line errors and notes
 * @param terminal whether standard output is a terminal (a progress bar then redraws one
 * line instead of printing one line per change)
 */
public record Context(Map<String, String> env, Path home, PrintWriter out, PrintWriter err, boolean terminal) {

	public CliConfig config() {
		return CliConfig.of(this.env, this.home);
	}

}
