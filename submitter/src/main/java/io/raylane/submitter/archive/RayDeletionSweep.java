package io.raylane.submitter.archive;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import io.raylane.submitter.ray.RayJobsClient;
import io.raylane.topics.deadletter.DeadLetter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes again the jobs Ray brought back after {@link LogArchiver} deleted them (Ray
 * 2.60's job monitor may re-create a just-deleted job as FAILED, see there). One round,
 * run every {@link #PERIOD} by the service, lists Ray's jobs once
 * ({@code GET /api/jobs/}) and deletes again only the listed jobs this submitter deleted
 * and still watches ({@link DeletionRechecks}); a round with nothing watched does not
 * call Ray. So Ray serves one list call per 5 s while deletions are watched, instead of
 * two more DELETEs per job. A failed list call is logged and the next round lists again.
 * <p>
 * Thread-safe: the archive's listener threads report deletions while the sweep's thread
 * runs rounds. Ray is called outside the lock.
 */
public final class RayDeletionSweep {

	private static final Logger log = LoggerFactory.getLogger(RayDeletionSweep.class);

	/** How often a round runs. */
	public static final Duration PERIOD = Duration.ofSeconds(5);

	private final RayJobsClient ray;

	private final Clock clock;

	private final DeletionRechecks rechecks;

	/**
	 * Watched ids forgotten early to stay within the bound since the last round (logged
	 * once a round, not once a deletion).
	 */
	private int dropped;

	public RayDeletionSweep(RayJobsClient ray, Clock clock) {
		this(ray, clock, new DeletionRechecks());
	}

	RayDeletionSweep(RayJobsClient ray, Clock clock, DeletionRechecks rechecks) {
		this.ray = ray;
		this.clock = clock;
		this.rechecks = rechecks;
	}

	/** {@code jobId} was deleted from Ray just now: watch it. */
	public void deleted(String jobId) {
		synchronized (this.rechecks) {
			this.dropped += this.rechecks.deleted(jobId, this.clock.instant());
		}
	}

	/** How many deleted jobs are watched. */
	public int watched() {
		synchronized (this.rechecks) {
			return this.rechecks.size();
		}
	}

	/** One round; never throws (a scheduled task that throws is never run again). */
	public void run() {
		try {
			round();
		}
		catch (RuntimeException ex) {
			log.warn("the sweep of deleted jobs failed, trying again in {} s: {}", PERIOD.toSeconds(),
					DeadLetter.reasonOf(ex));
		}
	}

	private void round() {
		int droppedNow;
		synchronized (this.rechecks) {
			if (this.rechecks.isEmpty()) {
				return;
			}
			droppedNow = this.dropped;
			this.dropped = 0;
		}
		if (droppedNow > 0) {
			log.warn("stopped watching {} deleted jobs early: {} are watched at most (Ray's job list unreadable "
					+ "for long?)", droppedNow, DeletionRechecks.MAX_WATCHED);
		}
		// taken before the list is requested: a job deleted after it may still be listed
		Instant listedAt = this.clock.instant();
		Set<String> listed = this.ray.submissionIds();
		DeletionRechecks.Round round;
		synchronized (this.rechecks) {
			round = this.rechecks.sweep(listedAt, listed);
		}
		round.deleteAgain().forEach(this::deleteAgain);
	}

	private void deleteAgain(String jobId) {
		try {
			if (this.ray.delete(jobId)) {
				log.info("Ray had re-created {} after its deletion (its job monitor's late FAILED status); "
						+ "deleted it again", jobId);
				deleted(jobId);
			}
		}
		catch (Exception ex) {
			// still watched: the next round finds it listed and tries again
			log.warn("could not delete {} from Ray again: {}", jobId, DeadLetter.reasonOf(ex));
		}
	}

}
