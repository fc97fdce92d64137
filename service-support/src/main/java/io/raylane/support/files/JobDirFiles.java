package io.raylane.support.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Reads and writes files of a job directory ({@code <jobs root>/<job id>/
 *
<dir>
 * /<file>}) without ever following a symbolic link: the job's own processes can write
 * into its directory, so a {@code logs/driver.log} (or a {@code logs}, or the job
 * directory itself) may be a link they planted towards Raylane's files (issue 12: the
 * users file was readable through {@code GET /v1/jobs/{id}/logs}). Each step opens the
 * next component relative to the directory already open, with {@code O_NOFOLLOW}
 * ({@link SecureDirectoryStream}, available on Linux), so a link swapped in between a
 * check and a use is refused too. Only the jobs root itself is trusted (Raylane's
 * configuration). Where the file system has no secure directory stream, each component is
 * checked not to be a link before use (racy, but never following one found).
 */
public final class JobDirFiles {

	private static final Set<StandardOpenOption> READ = Set.of(StandardOpenOption.READ);

	private final Path jobsRoot;

	/**
	 * @param jobsRoot {@code <shared root>/jobs}
	 */
	public JobDirFiles(Path jobsRoot) {
		this.jobsRoot = jobsRoot.toAbsolutePath().normalize();
	}

	/**
	 * The last {@code maxBytes} of {@code <jobId>/
	 *
	<dir>
	 * /<file>}, or empty when it is missing or anything on its way (job directory,
	 * {@code dir}, the file) is not a plain directory or regular file (a symbolic link, a
	 * FIFO, a device).
	 */
	public Optional<String> readTail(String jobId, String dir, String file, int maxBytes) throws IOException {
		checkSegments(jobId, dir, file);
		if (!Files.isDirectory(this.jobsRoot)) {
			return Optional.empty();
		}
		try (DirectoryStream<Path> root = Files.newDirectoryStream(this.jobsRoot)) {
			if (root instanceof SecureDirectoryStream<Path> secure) {
				try (SecureDirectoryStream<Path> job = secure.newDirectoryStream(Path.of(jobId),
						LinkOption.NOFOLLOW_LINKS);
						SecureDirectoryStream<Path> sub = job.newDirectoryStream(Path.of(dir),
								LinkOption.NOFOLLOW_LINKS)) {
					BasicFileAttributes attributes = sub
						.getFileAttributeView(Path.of(file), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
						.readAttributes();
					if (!attributes.isRegularFile()) {
						return Optional.empty();
					}
					try (SeekableByteChannel channel = sub.newByteChannel(Path.of(file),
							Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
						return Optional.of(tail(channel, maxBytes));
					}
				}
			}
			Path path = checkedPath(jobId, dir, file);
			if (path == null) {
				return Optional.empty();
			}
			try (SeekableByteChannel channel = Files.newByteChannel(path, READ)) {
				return Optional.of(tail(channel, maxBytes));
			}
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
		catch (FileSystemException ex) {
			// ELOOP / ENOTDIR: a link or a file where a directory belongs
			return Optional.empty();
		}
	}

	/**
	 * Writes (replaces) {@code <jobId>/
	 *
	<dir>
	 * /<file>} atomically: the text goes to a new temporary file beside it, which is then
	 * renamed over the target. A link at the target is replaced, never followed; a link
	 * at the job directory or {@code dir} is refused.
	 * @return the file written
	 * @throws JobDirLinkException when the job directory or {@code dir} is not a plain
	 * directory
	 */
	public Path writeAtomically(String jobId, String dir, String file, String text) throws IOException {
		checkSegments(jobId, dir, file);
		Path jobDir = this.jobsRoot.resolve(jobId);
		// the jobs root is Raylane's own (configuration): the only path followed as it is
		Files.createDirectories(this.jobsRoot);
		createPlainDirectory(jobDir);
		createPlainDirectory(jobDir.resolve(dir));
		String tmp = "." + file + "." + UUID.randomUUID() + ".tmp";
		try (DirectoryStream<Path> root = Files.newDirectoryStream(this.jobsRoot)) {
			if (root instanceof SecureDirectoryStream<Path> secure) {
				try (SecureDirectoryStream<Path> job = secure.newDirectoryStream(Path.of(jobId),
						LinkOption.NOFOLLOW_LINKS);
						SecureDirectoryStream<Path> sub = job.newDirectoryStream(Path.of(dir),
								LinkOption.NOFOLLOW_LINKS)) {
					try {
						try (SeekableByteChannel channel = sub.newByteChannel(Path.of(tmp), Set
							.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS))) {
							write(channel, text);
						}
						// renameat within the open directory: replaces a link at the
						// target
						sub.move(Path.of(tmp), sub, Path.of(file));
					}
					finally {
						try {
							sub.deleteFile(Path.of(tmp));
						}
						catch (NoSuchFileException ex) {
							// moved: nothing left behind
						}
					}
					return jobDir.resolve(dir).resolve(file);
				}
				catch (FileSystemException ex) {
					if (ex instanceof NoSuchFileException) {
						throw ex;
					}
					throw new JobDirLinkException(jobDir + "/" + dir + " is not a plain directory: " + ex.getMessage());
				}
			}
		}
		Path target = checkedPath(jobId, dir, null);
		if (target == null) {
			throw new JobDirLinkException(jobDir + "/" + dir + " is not a plain directory");
		}
		Path tmpPath = target.resolve(tmp);
		try {
			Files.writeString(tmpPath, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
					StandardOpenOption.WRITE);
			Files.move(tmpPath, target.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
					java.nio.file.StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(tmpPath);
		}
		return target.resolve(file);
	}

	/**
	 * Whether {@code <jobId>/
	 *
	<dir>
	 * /<file>} exists as a regular file, found without following links.
	 */
	public boolean isRegularFile(String jobId, String dir, String file) {
		checkSegments(jobId, dir, file);
		return checkedPath(jobId, dir, file) != null;
	}

	/**
	 * Creates a directory, or accepts an existing one only if it is a plain directory
	 * (not a link to one).
	 */
	private static void createPlainDirectory(Path dir) throws IOException {
		try {
			Files.createDirectory(dir);
		}
		catch (FileAlreadyExistsException ex) {
			if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
				throw new JobDirLinkException(dir + " is not a plain directory (a link?); refused");
			}
		}
	}

	/**
	 * The path of {@code <jobId>/
	 *
	<dir>
	 * [/<file>]} when no component is a link and the file (if named) is regular; null
	 * otherwise.
	 */
	private Path checkedPath(String jobId, String dir, String file) {
		Path jobDir = this.jobsRoot.resolve(jobId);
		Path sub = jobDir.resolve(dir);
		if (!Files.isDirectory(jobDir, LinkOption.NOFOLLOW_LINKS)
				|| !Files.isDirectory(sub, LinkOption.NOFOLLOW_LINKS)) {
			return null;
		}
		if (file == null) {
			return sub;
		}
		Path path = sub.resolve(file);
		return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) ? path : null;
	}

	/**
	 * Each name must be one plain path segment: {@code ..} or a slash would leave the job
	 * directory before any link check.
	 */
	private static void checkSegments(String... segments) {
		for (String segment : segments) {
			if (segment == null || segment.isEmpty() || segment.equals(".") || segment.equals("..")
					|| segment.indexOf('/') >= 0 || segment.indexOf('\0') >= 0) {
				throw new IllegalArgumentException("not a single path segment: '" + segment + "'");
			}
		}
	}

	private static String tail(SeekableByteChannel channel, int maxBytes) throws IOException {
		long size = channel.size();
		int length = (int) Math.min(size, maxBytes);
		channel.position(size - length);
		ByteBuffer buffer = ByteBuffer.allocate(length);
		while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
			// read until full or end of file
		}
		return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
	}

	private static void write(SeekableByteChannel channel, String text) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
		while (buffer.hasRemaining()) {
			channel.write(buffer);
		}
	}

	/**
	 * A job directory, or a folder of it, is a symbolic link (or not a directory):
	 * Raylane writes nothing there.
	 */
	public static final class JobDirLinkException extends IOException {

		public JobDirLinkException(String message) {
			super(message);
		}

	}

}
