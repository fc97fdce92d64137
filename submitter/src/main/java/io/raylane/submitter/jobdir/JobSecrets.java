package io.raylane.submitter.jobdir;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.raylane.jobspec.workload.ShellQuote;

/**
 * What a job gets apart from its Ray submission, because Ray returns a job's
 * {@code runtime_env} and {@code metadata} in plain text to anyone who may call
 * {@code GET /api/jobs/} (docs/reference/ray-http.md §12): environment variables the
 * entrypoint sources from {@code <job dir>/secrets/env}, and a netrc file
 * ({@code <job dir>/secrets/netrc}) that the job's Ray workers find through {@code NETRC}
 * (a path, no secret). {@link JobDirectories#writeSecrets} writes them readable by their
 * owner only; {@link #entrypoint} is the wrapper that reads them. Pure.
 *
 * @param env variable name → value, sourced into the entrypoint's shell before the
 * entrypoint runs (so every process it starts inherits them)
 * @param netrc the content of the netrc file, or null for none
 */
public record JobSecrets(Map<String, String> env, String netrc) {

	/** The job directory's sub-directory that holds them. */
	public static final String DIR = "secrets";

	public static final String ENV_FILE = "env";

	public static final String NETRC_FILE = "netrc";

	private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	public JobSecrets {
		env = new TreeMap<>(env);
		for (String name : env.keySet()) {
			if (!NAME.matcher(name).matches()) {
				throw new IllegalArgumentException("not an environment variable name: " + name);
			}
		}
	}

	/**
	 * The env file: one {@code NAME='value'} line per variable, every value POSIX
	 * single-quoted ({@link ShellQuote}), so {@code .} sets exactly that value and runs
	 * nothing.
	 */
	public String envFile() {
		return this.env.entrySet()
			.stream()
			.map((e) -> e.getKey() + "=" + ShellQuote.quote(e.getValue()) + "\n")
			.collect(Collectors.joining());
	}

	/**
	 * The entrypoint Ray runs ({@code /bin/sh -c}) for a job with secrets:
	 * {@code set -a; . '
	 *
	<dir>
	 * /env' || exit 1; set +a; <entrypoint>}. {@code set -a} exports what the file sets;
	 * a missing or unreadable file stops the job before its entrypoint starts (sh prints
	 * why). Only the file's path is in it, so the entrypoint Ray shows and
	 * {@code submit_cmd.txt} hold no secret.
	 * @param entrypoint the composed entrypoint, run unchanged by the same shell
	 * @param secretsDir {@code <job dir>/secrets}
	 */
	public static String entrypoint(String entrypoint, Path secretsDir) {
		return "set -a; . " + ShellQuote.quote(secretsDir.resolve(ENV_FILE).toString()) + " || exit 1; set +a; "
				+ entrypoint;
	}

	/** The names only. */
	@Override
	public String toString() {
		return "JobSecrets[env=" + this.env.keySet() + ", netrc=" + ((this.netrc != null) ? "***" : "none") + "]";
	}

}
