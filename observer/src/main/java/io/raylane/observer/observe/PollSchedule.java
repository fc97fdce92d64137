package io.raylane.observer.observe;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.raylane.topics.deadletter.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Runs a poll every {@code raylane.observer.poll-interval} on one daemon thread, starting
 * with the context (after the topics exist) and stopping with it. A poll that throws is
 * logged; the next one still happens (a plain {@code scheduleWithFixedDelay} would cancel
 * the schedule on the first exception).
 */
public final class PollSchedule implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(PollSchedule.class);

	private final Runnable poll;

	private final Duration interval;

	private ScheduledExecutorService executor;

	public PollSchedule(Runnable poll, Duration interval) {
		if (interval.isZero() || interval.isNegative()) {
			throw new IllegalArgumentException("raylane.observer.poll-interval must be positive: " + interval);
		}
		this.poll = poll;
		this.interval = interval;
	}

	@Override
	public synchronized void start() {
		if (this.executor != null) {
			return;
		}
		this.executor = Executors.newSingleThreadScheduledExecutor((r) -> {
			Thread thread = new Thread(r, "raylane-observer-poll");
			thread.setDaemon(true);
			return thread;
		});
		this.executor.scheduleWithFixedDelay(this::pollSafely, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void pollSafely() {
		try {
			this.poll.run();
		}
		catch (RuntimeException | Error ex) {
			log.error("poll failed; the next one runs in {}: {}", this.interval, DeadLetter.reasonOf(ex));
		}
	}

	@Override
	public synchronized void stop() {
		if (this.executor == null) {
			return;
		}
		this.executor.shutdownNow();
		try {
			if (!this.executor.awaitTermination(10, TimeUnit.SECONDS)) {
				log.warn("the poll thread did not stop within 10 s");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.executor = null;
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

}
