package io.raylane.api.jobs;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.raylane.api.LogFollowProperties;
import io.raylane.api.errors.ApiException;
import io.raylane.topics.job.JobView;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Serves {@code GET /v1/jobs/{id}/logs?follow=true}: the driver log as chunked
 * {@code text/plain}, written as it grows ({@link LogFollow}) until the job ends, within
 * {@link LogFollowProperties}' bounds. Reads the same sources as the plain route
 * ({@link JobLogs}: the archive, else Ray) and the job's state from {@link JobViewStore}.
 * A stream holds its request thread, so at most {@code max-followers} run at once. When
 * the API stops, every stream ends at once (this lifecycle stops before the web server's
 * graceful shutdown, which would otherwise wait for them).
 */
@Component
class LogStreams implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(LogStreams.class);

	private final JobViewStore views;

	private final JobLogs logs;

	private final Clock clock;

	private final LogFollowProperties properties;

	private final Semaphore followers;

	private final CountDownLatch stopping = new CountDownLatch(1);

	private volatile boolean running;

	LogStreams(JobViewStore views, JobLogs logs, Clock clock, LogFollowProperties properties) {
		this.views = views;
		this.logs = logs;
		this.clock = clock;
		this.properties = properties;
		this.followers = new Semaphore(properties.maxFollowers());
	}

	/**
	 * Streams the log of {@code view}'s job, which the caller may see (checked before).
	 */
	void follow(JobView view, HttpServletResponse response) throws IOException {
		if (!this.followers.tryAcquire()) {
			throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "too_many_log_streams", "follow",
					"the API serves " + this.properties.maxFollowers()
							+ " log streams at once (raylane.api.logs.max-followers); retry later, or read the log "
							+ "without follow");
		}
		try {
			response.setStatus(HttpStatus.OK.value());
			response.setContentType("text/plain;charset=UTF-8");
			response.setHeader("Cache-Control", "no-cache");
			// a proxy in front must not hold the stream back
			response.setHeader("X-Accel-Buffering", "no");
			Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
			response.flushBuffer();
			LogFollow.End end = LogFollow.follow(() -> read(view.jobId()), (chunk) -> {
				out.write(chunk);
				out.flush();
				response.flushBuffer();
			}, this.clock, limits(), this::pause);
			log.debug("log stream of {} ended: {}", view.jobId(), end);
		}
		catch (InterruptedException ex) {
			// the API stops (the client sees the stream end and asks again), or the
			// thread was interrupted, which is kept
			if (this.stopping.getCount() > 0) {
				Thread.currentThread().interrupt();
			}
			log.debug("log stream of {} ended: {}", view.jobId(), ex.getMessage());
		}
		catch (IOException ex) {
			// the client went away: nothing to answer
			log.debug("log stream of {} closed by the client: {}", view.jobId(), ex.getMessage());
		}
		finally {
			this.followers.release();
		}
	}

	/** Waits between reads; ends the stream when the API stops. */
	private void pause(java.time.Duration duration) throws InterruptedException {
		if (this.stopping.await(duration.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new InterruptedException("the API is stopping");
		}
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.stopping.countDown();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private LogFollow.Limits limits() {
		return new LogFollow.Limits(this.properties.followMax(), this.properties.followMaxBytes().toBytes(),
				this.properties.followInterval());
	}

	/**
	 * The job's state, then its log. A job no longer in the view (dropped after it ended)
	 * counts as ended; a log that cannot be read now (Ray failing) is null and read
	 * again.
	 */
	private LogFollow.Read read(String jobId) {
		Optional<JobView> view = this.views.get(jobId);
		boolean ended = view.isEmpty() || (view.get().status() != null && view.get().status().isTerminal());
		if (view.isEmpty()) {
			return new LogFollow.Read("", true);
		}
		try {
			return new LogFollow.Read(this.logs.of(view.get()), ended);
		}
		catch (ApiException | UncheckedIOException ex) {
			return new LogFollow.Read(null, ended);
		}
	}

}
