package io.raylane.raystandin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.raylane.rayclient.wire.RayJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The head's durable job table on disk: {@code <stateDir>/jobs/<job>/job.json} (written
 * atomically), next to the driver's combined output {@code driver.log} and the
 * {@code exit_code} file its wrapper writes when the entrypoint ends. A head started on
 * the same directory, even after {@code kill -9}, reads everything back.
 */
final class JobStore {

	private static final Logger log = LoggerFactory.getLogger(JobStore.class);

	private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}");

	private final Path jobsDir;

	JobStore(Path stateDir) {
		this.jobsDir = stateDir.resolve("jobs");
		try {
			Files.createDirectories(this.jobsDir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A job's directory; ids that are not plain file names are hashed. */
	Path jobDir(String submissionId) {
		if (PLAIN_ID.matcher(submissionId).matches()) {
			return this.jobsDir.resolve(submissionId);
		}
		return this.jobsDir.resolve("id-" + HexFormat.of().formatHex(sha256(submissionId), 0, 20));
	}

	Path logFile(String submissionId) {
		return jobDir(submissionId).resolve("driver.log");
	}

	Path exitCodeFile(String submissionId) {
		return jobDir(submissionId).resolve("exit_code");
	}

	void save(JobRecord job) {
		Path dir = jobDir(job.submissionId());
		try {
			Files.createDirectories(dir);
			Path tmp = dir.resolve("job.json.tmp");
			Files.write(tmp, RayJson.mapper().writeValueAsBytes(job));
			Files.move(tmp, dir.resolve("job.json"), StandardCopyOption.REPLACE_EXISTING,
					StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot persist job " + job.submissionId(), ex);
		}
	}

	/** Removes the job record (Ray keeps the driver log). */
	void delete(String submissionId) {
		try {
			Files.deleteIfExists(jobDir(submissionId).resolve("job.json"));
			Files.deleteIfExists(exitCodeFile(submissionId));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Every stored job, oldest first; unreadable records are skipped with a warning. */
	List<JobRecord> loadAll() {
		List<JobRecord> jobs = new ArrayList<>();
		try (DirectoryStream<Path> dirs = Files.newDirectoryStream(this.jobsDir)) {
			for (Path dir : dirs) {
				Path file = dir.resolve("job.json");
				if (!Files.isRegularFile(file)) {
					continue;
				}
				try {
					jobs.add(RayJson.mapper().readValue(Files.readAllBytes(file), JobRecord.class));
				}
				catch (IOException | RuntimeException ex) {
					log.warn("skipping unreadable job record {}: {}", file, ex.toString());
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		jobs.sort(Comparator.comparingLong(JobRecord::startTime).thenComparing(JobRecord::submissionId));
		return jobs;
	}

	/** Appends a line of the head's own to the driver log (as Ray's supervisor does). */
	void appendLog(String submissionId, String text) {
		try {
			Files.createDirectories(jobDir(submissionId));
			Files.writeString(logFile(submissionId), text, StandardCharsets.UTF_8,
					java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The whole driver log ("" when there is none yet). */
	String readLog(String submissionId) {
		Path file = logFile(submissionId);
		try {
			return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The code the driver wrapper recorded, if the entrypoint ended normally. */
	Optional<Integer> readExitCode(String submissionId) {
		Path file = exitCodeFile(submissionId);
		try {
			if (!Files.exists(file)) {
				return Optional.empty();
			}
			return Optional.of(Integer.parseInt(Files.readString(file).trim()));
		}
		catch (IOException | NumberFormatException ex) {
			return Optional.empty();
		}
	}

	private static byte[] sha256(String text) {
		try {
			return java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
