package io.raylane.submitter.archive;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

import io.raylane.submitter.jobdir.JobDirRefusedException;
import io.raylane.submitter.jobdir.JobDirectories;
import io.raylane.submitter.ray.RayJobsClient;
import io.raylane.topics.deadletter.DeadLetter;
import io.raylane.topics.job.JobView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Archives a finished job's driver log from Ray ({@code GET /api/jobs/{id}/logs}) to
 * {@code <jobDir>/logs/driver.log}, overwriting (idempotent), then deletes the job from
 * Ray ({@code DELETE /api/jobs/{id}}) so Ray's job list (and its head's memory) stays
 * short however long the history grows. The delete happens only once the archive is
 * written: a job whose log could not be archived stays on Ray, where its log can still be
 * read. The job's {@code secrets/} are deleted then too. Failures are logged, never
 * fatal: the job's state does not depend on its log; {@link LogArchiveRetries} tries
 * again (issue 12).
 * <p>
 * Ray 2.60 may bring a deleted job back: its job monitor, finding the supervisor actor
 * gone and no status for the job (deleted), writes a FAILED status "Job supervisor actor
 * died", which re-creates the job with entrypoint "Entrypoint not found."
 * ({@code ray/dashboard/modules/job/job_manager.py}, {@code _monitor_job_internal}, and
 * {@code common.py}, {@code put_status}; ray-cluster/FINDINGS.md §3). So each deletion is
 * reported to {@link RayDeletionSweep}, which watches Ray's job list for 30 s after it
 * (one list call per 5 s for all watched jobs) and deletes again a job that came back.
 */
public final class LogArchiver {

	private static final Logger log = LoggerFactory.getLogger(LogArchiver.class);

	private final RayJobsClient ray;

	private final JobDirectories directories;

	/**
	 * Told each job deleted from Ray (the sweep that deletes it again if it comes back).
	 */
	private final Consumer<String> deletedFromRay;

	/**
	 * An archiver that deletes each job from Ray once, without watching for its return.
	 */
	public LogArchiver(RayJobsClient ray, JobDirectories directories) {
		this(ray, directories, (jobId) -> {
		});
	}

	/**
	 * @param deletedFromRay told the id of each job deleted from Ray (in the service
	 * {@link RayDeletionSweep#deleted})
	 */
	public LogArchiver(RayJobsClient ray, JobDirectories directories, Consumer<String> deletedFromRay) {
		this.ray = ray;
		this.directories = directories;
		this.deletedFromRay = deletedFromRay;
	}

	/** Only jobs that reached Ray have a driver log: terminal and dispatched. Pure. */
	static boolean shouldArchive(JobView view) {
		return view.jobId() != null && view.status() != null && view.status().isTerminal()
				&& view.dispatchedAt() != null;
	}

	private void deleteFromRay(String jobId) {
		try {
			boolean deleted = this.ray.delete(jobId);
			log.info("{} {} from Ray after archiving its log", deleted ? "deleted" : "Ray no longer knew", jobId);
			if (deleted) {
				this.deletedFromRay.accept(jobId);
			}
		}
		catch (Exception ex) {
			// the archive is safe; a job left on Ray only costs a line in its list
			log.warn("could not delete {} from Ray after archiving its log: {}", jobId, DeadLetter.reasonOf(ex));
		}
	}

	/** What one attempt to archive a job's driver log came to. */
	public sealed interface Attempt {

		/** The log is in {@code file} (and the job was deleted from Ray). */
		record Archived(Path file) implements Attempt {
		}

		/** Nothing to archive: the job never reached Ray, or Ray no longer knows it. */
		record Nothing() implements Attempt {
		}

		/**
		 * The log could not be archived.
		 *
		 * @param reason what failed
		 * @param retryable whether trying again may help (Ray or the disk failed), or not
		 * (the job directory is refused: a link planted in it)
		 */
		record Failed(String reason, boolean retryable) implements Attempt {
		}

	}

	/**
	 * @return the written log file, or empty when there was nothing to archive or
	 * archiving failed
	 */
	public Optional<Path> archive(JobView view) {
		return (attempt(view) instanceof Attempt.Archived archived) ? Optional.of(archived.file()) : Optional.empty();
	}

	/** One attempt to archive the driver log of an ended job. */
	public Attempt attempt(JobView view) {
		if (!shouldArchive(view)) {
			return new Attempt.Nothing();
		}
		try {
			return archiveLog(view);
		}
		finally {
			deleteSecrets(view);
		}
	}

	/**
	 * Leaves {@code logs/driver.log.unavailable} in the job directory, saying why no
	 * archive will come (the log stays on Ray, where the API still reads it); best
	 * effort.
	 */
	public void noteUnavailable(JobView view, String reason) {
		try {
			this.directories.writeLogNote(view.jobId(), view.jobDir(), "driver.log.unavailable",
					"the driver log could not be archived here: " + reason + "\nit stays on Ray: GET /v1/jobs/"
							+ view.jobId() + "/logs still reads it\n");
		}
		catch (Exception ex) {
			log.warn("could not write the archive note of {}: {}", view.jobId(), DeadLetter.reasonOf(ex));
		}
	}

	/** An ended job needs its secrets no more (W&amp;B key, netrc). */
	private void deleteSecrets(JobView view) {
		try {
			if (this.directories.deleteSecrets(view.jobId(), view.jobDir())) {
				log.info("deleted the secrets of {}", view.jobId());
			}
		}
		catch (Exception ex) {
			log.warn("could not delete the secrets of {}: {}", view.jobId(), DeadLetter.reasonOf(ex));
		}
	}

	private Attempt archiveLog(JobView view) {
		try {
			Optional<String> logs = this.ray.logs(view.jobId());
			if (logs.isEmpty()) {
				log.info("no driver log of {} on Ray (unknown to Ray); nothing archived", view.jobId());
				return new Attempt.Nothing();
			}
			Path file = this.directories.writeDriverLog(view.jobId(), view.jobDir(), logs.get());
			log.info("archived the driver log of {} ({}) to {}", view.jobId(), view.status(), file);
			deleteFromRay(view.jobId());
			return new Attempt.Archived(file);
		}
		catch (JobDirRefusedException ex) {
			log.warn("will not archive the driver log of {}: {}", view.jobId(), ex.getMessage());
			return new Attempt.Failed(ex.getMessage(), false);
		}
		catch (Exception ex) {
			log.warn("could not archive the driver log of {}: {}", view.jobId(), DeadLetter.reasonOf(ex));
			return new Attempt.Failed(DeadLetter.reasonOf(ex), true);
		}
	}

}
