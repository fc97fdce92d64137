package io.raylane.cli.commands;

import java.io.PrintWriter;

import io.raylane.cli.CliException;
import io.raylane.cli.ExitCodes;
import io.raylane.cli.http.ApiClient;
import tools.jackson.databind.JsonNode;

/**
 * Watches one job through the API: its view every interval until it ends (drawing the
 * progress bar), then its log. A log read right when a job ends may find Ray's log gone
 * and the archive not yet written, so the last read is tried again for a while.
 */
final class JobWatch {

	/** Reads of an ended job's log before settling for what there is. */
	static final int LOG_ATTEMPTS = 15;

	private final ApiClient api;

	private final PrintWriter out;

	private final boolean redraw;

	private final long intervalMillis;

	JobWatch(ApiClient api, PrintWriter out, boolean redraw, double intervalSeconds) {
		this.api = api;
		this.out = out;
		this.redraw = redraw;
		this.intervalMillis = Math.max(50, (long) (intervalSeconds * 1000));
	}

	/**
	 * The job's view once it ended; with {@code draw}, a bar line each time it changed
	 * (or one line redrawn in a terminal).
	 */
	JsonNode untilEnded(String id, boolean draw) throws InterruptedException {
		String shown = null;
		while (true) {
			JsonNode job = ApiCommand.parse(this.api.get("/v1/jobs/" + ApiClient.segment(id)));
			String line = SubmitCommand.barOf(job);
			if (draw && !line.equals(shown)) {
				if (this.redraw) {
					this.out.print("\r" + line + "\u001b[K");
				}
				else {
					this.out.println(line);
				}
				this.out.flush();
				shown = line;
			}
			if (SubmitCommand.ended(job)) {
				if (draw && this.redraw) {
					this.out.println();
				}
				return job;
			}
			Thread.sleep(this.intervalMillis);
		}
	}

	/** The ended job's log: tried again while it is empty or the API fails (5xx). */
	String finalLogs(String id) throws InterruptedException {
		String logs = "";
		for (int attempt = 1; attempt <= LOG_ATTEMPTS; attempt++) {
			try {
				logs = ApiCommand.parse(this.api.get("/v1/jobs/" + ApiClient.segment(id) + "/logs"))
					.path("logs")
					.asString("");
				if (!logs.isEmpty()) {
					return logs;
				}
			}
			catch (CliException ex) {
				if (ex.exitCode() != ExitCodes.UNAVAILABLE || attempt == LOG_ATTEMPTS) {
					throw ex;
				}
			}
			Thread.sleep(this.intervalMillis);
		}
		return logs;
	}

}
