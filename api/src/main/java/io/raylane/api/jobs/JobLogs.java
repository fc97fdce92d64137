package io.raylane.api.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import io.raylane.support.RaylaneSettings;
import io.raylane.support.files.JobDirFiles;
import io.raylane.topics.job.JobIds;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;

import org.springframework.stereotype.Component;

/**
 * A job's driver log: the archived {@code <job dir>/logs/driver.log} once the submitter
 * copied it there (after the job ended), otherwise Ray's live log. Jobs that never
 * reached Ray have no log. The archive is read without following symbolic links
 * ({@link JobDirFiles}): a link in the job directory counts as no archive.
 */
@Component
class JobLogs {

	/**
	 * Larger archived logs are served from their tail: the end of a log is what explains
	 * how it ended.
	 */
	static final int MAX_BYTES = 16 * 1024 * 1024;

	private static final Set<JobStatus> NEVER_ON_RAY = EnumSet.of(JobStatus.ACCEPTED, JobStatus.QUEUED,
			JobStatus.REJECTED);

	private final RayLogClient ray;

	private final JobDirFiles files;

	JobLogs(RayLogClient ray, RaylaneSettings settings) {
		this.ray = ray;
		this.files = new JobDirFiles(settings.shared().root().toAbsolutePath().normalize().resolve("jobs"));
	}

	String of(JobView view) {
		if (view.jobDir() != null && JobIds.isValid(view.jobId())) {
			// read from this API's own jobs root, never through a link the job planted
			// in its directory (issue 12: logs/driver.log -> the users file)
			Optional<String> archived;
			try {
				archived = this.files.readTail(view.jobId(), "logs", "driver.log", MAX_BYTES);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("cannot read the driver log of " + view.jobId(), ex);
			}
			if (archived.isPresent()) {
				return archived.get();
			}
		}
		if (view.status() != null && NEVER_ON_RAY.contains(view.status())) {
			return "";
		}
		return this.ray.driverLogs(view.jobId());
	}

}
