package io.raylane.submitter.archive;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.raylane.topics.job.JobView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Archives an ended job's driver log, and tries again when it failed (issue 12: a failed
 * archive was never retried; Ray unreachable for a minute left the job's log on Ray and
 * its directory without one). A retryable failure (Ray or the disk) is tried again after
 * a back-off that doubles up to a maximum, at most {@link Policy#attempts()} times in
 * all; then, or at once for a refusal that no retry can change (a link planted in the job
 * directory), it gives up: the reason is logged, counted and left in
 * {@code logs/driver.log.unavailable}, and the job stays on Ray, whose log the API still
 * serves. One job has at most one retry pending.
 * <p>
 * Pending retries live in memory: a submitter restarted meanwhile does not archive those
 * jobs (their log stays readable on Ray). Meter
 * {@code raylane_submitter_log_archives_total{outcome}}: {@code archived},
 * {@code retried}, {@code gave_up}.
 */
public final class LogArchiveRetries {

	private static final Logger log = LoggerFactory.getLogger(LogArchiveRetries.class);

	/** Prometheus {@code raylane_submitter_log_archives_total}. */
	public static final String METER = "raylane.submitter.log.archives";

	/** Runs a task after a delay (a scheduled executor; a manual one in tests). */
	@FunctionalInterface
	public interface Scheduler {

		void schedule(Duration delay, Runnable task);

	}

	/**
	 * How often and when an archive is tried again.
	 *
	 * @param attempts attempts in all, the first one included (1 = never again)
	 * @param delay the wait before the second attempt; doubled after each failure
	 * @param maxDelay the longest wait between two attempts
	 */
	public record Policy(int attempts, Duration delay, Duration maxDelay) {

		public Policy {
			if (attempts < 1) {
				throw new IllegalArgumentException("attempts must be at least 1");
			}
		}

		/**
		 * 8 attempts, 5 s doubling to 5 min: the last about 10 minutes after the first.
		 */
		public static Policy defaults() {
			return new Policy(8, Duration.ofSeconds(5), Duration.ofMinutes(5));
		}

		/** The wait after the {@code failures}-th failed attempt. */
		Duration backoff(int failures) {
			Duration next = this.delay;
			for (int i = 1; i < failures && next.compareTo(this.maxDelay) < 0; i++) {
				next = next.multipliedBy(2);
			}
			return (next.compareTo(this.maxDelay) > 0) ? this.maxDelay : next;
		}

	}

	private final LogArchiver archiver;

	private final Policy policy;

	private final Scheduler scheduler;

	private final Set<String> pending = ConcurrentHashMap.newKeySet();

	private final Counter archived;

	private final Counter retried;

	private final Counter gaveUp;

	public LogArchiveRetries(LogArchiver archiver, Policy policy, Scheduler scheduler, MeterRegistry meters) {
		this.archiver = archiver;
		this.policy = policy;
		this.scheduler = scheduler;
		this.archived = meters.counter(METER, "outcome", "archived");
		this.retried = meters.counter(METER, "outcome", "retried");
		this.gaveUp = meters.counter(METER, "outcome", "gave_up");
	}

	/**
	 * Archives the log of {@code view} now (when it ended on Ray); a failure is tried
	 * again later. A job with a retry pending is left to it.
	 */
	public void archive(JobView view) {
		if (!LogArchiver.shouldArchive(view) || this.pending.contains(view.jobId())) {
			return;
		}
		attempt(view, 1);
	}

	/** Jobs whose archive waits for its next attempt. */
	public int pending() {
		return this.pending.size();
	}

	private void attempt(JobView view, int number) {
		LogArchiver.Attempt attempt = this.archiver.attempt(view);
		if (attempt instanceof LogArchiver.Attempt.Archived) {
			this.archived.increment();
		}
		if (!(attempt instanceof LogArchiver.Attempt.Failed failed)) {
			this.pending.remove(view.jobId());
			return;
		}
		if (failed.retryable() && number < this.policy.attempts()) {
			Duration wait = this.policy.backoff(number);
			log.info("archiving the driver log of {} again in {} (attempt {} of {})", view.jobId(), wait, number + 1,
					this.policy.attempts());
			this.pending.add(view.jobId());
			this.retried.increment();
			this.scheduler.schedule(wait, () -> attempt(view, number + 1));
			return;
		}
		this.pending.remove(view.jobId());
		this.gaveUp.increment();
		String reason = failed.retryable() ? failed.reason() + " (" + number + " attempts)" : failed.reason();
		log.warn("gave up archiving the driver log of {}: {}; it stays on Ray", view.jobId(), reason);
		this.archiver.noteUnavailable(view, reason);
	}

}
