package io.raylane.api.jobs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.raylane.jobspec.workload.RewardSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a reward file with Python's own parser (issue 13 item 5): runs
 * {@code reward-check/reward_check.py} as {@code python3 -I -S -c <script>} with the
 * file's bytes on stdin, so the bytes read once are the bytes checked (issue 12), and
 * nothing of the user's code is imported or run. Bounded: {@link #TIMEOUT},
 * {@link #MAX_ANSWER} bytes of answer, the child killed after. Where the API host has no
 * Python (the all-in-one needs only a JDK) or the check cannot finish, it falls back to
 * {@link RewardSource#defines} (a {@code def} at column 0) and logs why; the answer's
 * {@link RewardVerdict#note()} says so.
 */
final class RewardCheck {

	private static final Logger log = LoggerFactory.getLogger(RewardCheck.class);

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	static final int MAX_ANSWER = 64 * 1024;

	static final String FALLBACK_NOTE = "checked without Python (a top-level def only)";

	private final String python;

	private final String script;

	/**
	 * @param python the interpreter, {@code raylane.reward-check.python}
	 */
	RewardCheck(String python) {
		this.python = python;
		try (InputStream in = RewardCheck.class.getResourceAsStream("/reward-check/reward_check.py")) {
			this.script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException | NullPointerException ex) {
			throw new IllegalStateException("reward-check/reward_check.py is missing from the API's classpath", ex);
		}
	}

	/**
	 * @param extraKeywords the keywords the overrides add to verl's call, null = check
	 * the definition only ({@link RewardSource#extraKeywords})
	 */
	RewardVerdict check(byte[] source, String function, List<String> extraKeywords) {
		List<String> command = new ArrayList<>(List.of(this.python, "-I", "-S", "-c", this.script, function));
		if (extraKeywords == null) {
			command.add("--defined-only");
		}
		else {
			command.addAll(extraKeywords);
		}
		try {
			return RewardVerdict.parse(run(command, source));
		}
		catch (IOException | IllegalArgumentException | UncheckedIOException ex) {
			log.warn("the reward check by {} could not run ({}); falling back to a top-level def check", this.python,
					ex.getMessage());
			return fallback(source, function);
		}
	}

	static RewardVerdict fallback(byte[] source, String function) {
		boolean defined = RewardSource.defines(new String(source, StandardCharsets.UTF_8), function);
		return new RewardVerdict(defined ? RewardVerdict.Result.OK : RewardVerdict.Result.FUNCTION_MISSING, null, null,
				FALLBACK_NOTE);
	}

	/** Runs the checker: stdin is the source, stdout (bounded) the answer. */
	private static String run(List<String> command, byte[] source) throws IOException {
		Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		// the watchdog: a checker still running then is killed, which ends the pipes
		// below
		CompletableFuture<Void> watchdog = CompletableFuture.runAsync(process::destroyForcibly,
				CompletableFuture.delayedExecutor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
		try {
			// the checker reads all of stdin before it answers, so writing first cannot
			// deadlock; a checker that dies early closes the pipe (an IOException)
			try (OutputStream in = process.getOutputStream()) {
				in.write(source);
			}
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			try (InputStream out = process.getInputStream()) {
				byte[] buffer = new byte[8192];
				int n;
				while (answer.size() <= MAX_ANSWER && (n = out.read(buffer)) >= 0) {
					answer.write(buffer, 0, n);
				}
			}
			if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || watchdog.isDone()) {
				throw new IOException("no answer within " + TIMEOUT.toSeconds() + " s");
			}
			if (answer.size() > MAX_ANSWER) {
				throw new IOException("answer longer than " + MAX_ANSWER + " bytes");
			}
			return answer.toString(StandardCharsets.UTF_8);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
		finally {
			watchdog.cancel(false);
			process.destroyForcibly();
		}
	}

}
