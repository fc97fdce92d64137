package io.raylane.observer.attribution;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.raylane.topics.job.JobView;

/**
 * The jobs Raylane dispatched to Ray, as {@code raylane.job-states} says (a JobView with
 * {@code dispatched_at}, or one holding GPUs): only these may be spoken for by a Ray job
 * ({@link Attribution}). Fed by the observer's reader of {@code raylane.job-states}
 * ({@code HeldJobs}) before each poll; read by the poll.
 * <p>
 * Bounded: a job that ended more than {@code memory} ago is forgotten (its Ray job, if
 * Ray still lists it, is then left alone like any other). A job keeps its entry when a
 * later view no longer says it was dispatched (a submission whose answer was lost may
 * still run on Ray); a tombstone removes it.
 */
public final class DispatchedJobs {

	private final Map<String, Dispatched> jobs = new ConcurrentHashMap<>();

	private final Duration memory;

	private static final Duration FORGET_EVERY = Duration.ofMinutes(1);

	private volatile Instant lastForget;

	/**
	 * @param memory how long an ended job is remembered
	 * ({@code raylane.observer.ended-job-memory})
	 */
	public DispatchedJobs(Duration memory) {
		this.memory = memory;
	}

	/** One snapshot of {@code raylane.job-states}. */
	public void apply(JobView view, Instant now) {
		if (view.jobId() == null) {
			return;
		}
		boolean dispatched = view.dispatchedAt() != null || (view.status() != null && view.status().holdsResources());
		if (!dispatched) {
			return;
		}
		Instant ended = (view.status() != null && view.status().isTerminal()) ? endOf(view, now) : null;
		if (ended != null && ended.isBefore(now.minus(this.memory))) {
			this.jobs.remove(view.jobId());
			return;
		}
		this.jobs.put(view.jobId(), new Dispatched(view.user(), view.pool(), ended));
	}

	/** A tombstone of {@code raylane.job-states}: the job is gone. */
	public void remove(String jobId) {
		this.jobs.remove(jobId);
	}

	/** The job as Raylane dispatched it, or empty when Raylane never did (or forgot). */
	public Optional<Dispatched> get(String jobId) {
		return (jobId != null) ? Optional.ofNullable(this.jobs.get(jobId)) : Optional.empty();
	}

	/**
	 * Forgets the jobs that ended more than {@code memory} before {@code now}; at most
	 * once a minute (it walks every entry).
	 */
	public void forgetEnded(Instant now) {
		if (this.lastForget != null && now.isBefore(this.lastForget.plus(FORGET_EVERY))) {
			return;
		}
		this.lastForget = now;
		Instant before = now.minus(this.memory);
		this.jobs.values().removeIf((d) -> d.endedAt() != null && d.endedAt().isBefore(before));
	}

	public int size() {
		return this.jobs.size();
	}

	private static Instant endOf(JobView view, Instant now) {
		if (view.endedAt() != null) {
			return view.endedAt();
		}
		return (view.updatedAt() != null) ? view.updatedAt() : now;
	}

	/**
	 * What Raylane knows of a dispatched job.
	 *
	 * @param user the owner
	 * @param pool the pool it runs in
	 * @param endedAt when it ended in Raylane, null while it has not
	 */
	public record Dispatched(String user, String pool, Instant endedAt) {
	}

}
