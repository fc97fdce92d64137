package io.raylane.api.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;

import org.springframework.stereotype.Component;

/**
 * A job's driver log: the archived {@code <job dir>/logs/driver.log} once the submitter
 * copied it there (after the job ended), otherwise Ray's live log. Jobs that never
 * reached Ray have no log.
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

	JobLogs(RayLogClient ray) {
		this.ray = ray;
	}

	String of(JobView view) {
		if (view.jobDir() != null) {
			Path archived = Path.of(view.jobDir(), "logs", "driver.log");
			if (Files.isRegularFile(archived)) {
				return tail(archived);
			}
		}
		if (view.status() != null && NEVER_ON_RAY.contains(view.status())) {
			return "";
		}
		return this.ray.driverLogs(view.jobId());
	}

	private static String tail(Path file) {
		try (SeekableByteChannel channel = Files.newByteChannel(file)) {
			long size = channel.size();
			int length = (int) Math.min(size, MAX_BYTES);
			channel.position(size - length);
			ByteBuffer buffer = ByteBuffer.allocate(length);
			while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
				// read until full or end of file
			}
			return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + file, ex);
		}
	}

}
