package io.raylane.api.jobs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a file below a trusted folder without following any link on the way: each folder
 * is opened relative to the one before it and the file relative to the last, all with
 * {@code NOFOLLOW_LINKS} ({@link SecureDirectoryStream}: {@code openat} with
 * {@code O_NOFOLLOW} on Linux). So what is read is the file at that real path at the
 * moment of the read, even if a folder on the way was swapped for a link after the path
 * was checked. Where the file system has no secure directory streams, only the last
 * component is opened without following a link.
 */
final class NoFollowRead {

	private static final Set<OpenOption> READ = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

	private NoFollowRead() {
	}

	/**
	 * At most {@code max + 1} bytes of {@code folder/relative} (one more than allowed, so
	 * the caller sees a file that is too long).
	 * @param folder a folder at its real location (the caller checked it)
	 * @param relative the file's path below it, without links (a real path)
	 * @return empty when a component is now a link or missing, or the file is not a
	 * regular file
	 */
	static Optional<byte[]> read(Path folder, Path relative, long max) throws IOException {
		if (relative.getNameCount() == 0 || relative.isAbsolute() || relative.toString().isEmpty()) {
			return Optional.empty();
		}
		try (DirectoryStream<Path> top = Files.newDirectoryStream(folder)) {
			if (!(top instanceof SecureDirectoryStream<Path> secure)) {
				return lastComponentOnly(folder.resolve(relative), max);
			}
			return walk(secure, relative, max);
		}
	}

	private static Optional<byte[]> walk(SecureDirectoryStream<Path> top, Path relative, long max) throws IOException {
		Deque<SecureDirectoryStream<Path>> opened = new ArrayDeque<>();
		try {
			SecureDirectoryStream<Path> current = top;
			for (int i = 0; i < relative.getNameCount() - 1; i++) {
				current = current.newDirectoryStream(relative.getName(i), LinkOption.NOFOLLOW_LINKS);
				opened.push(current);
			}
			Path name = relative.getFileName();
			BasicFileAttributes attributes = current
				.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
				.readAttributes();
			if (!attributes.isRegularFile()) {
				return Optional.empty();
			}
			try (SeekableByteChannel channel = current.newByteChannel(name, READ)) {
				return Optional.of(readAtMost(channel, max + 1));
			}
		}
		catch (FileSystemException ex) {
			// a link where a folder or the file was (ELOOP), a file where a folder was,
			// or gone
			return Optional.empty();
		}
		finally {
			while (!opened.isEmpty()) {
				opened.pop().close();
			}
		}
	}

	private static Optional<byte[]> lastComponentOnly(Path file, long max) throws IOException {
		if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
			return Optional.empty();
		}
		try (SeekableByteChannel channel = Files.newByteChannel(file, READ)) {
			return Optional.of(readAtMost(channel, max + 1));
		}
		catch (FileSystemException ex) {
			return Optional.empty();
		}
	}

	private static byte[] readAtMost(SeekableByteChannel channel, long limit) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
		while (out.size() < limit) {
			buffer.clear().limit((int) Math.min(buffer.capacity(), limit - out.size()));
			int n = channel.read(buffer);
			if (n < 0) {
				break;
			}
			out.write(buffer.array(), 0, n);
		}
		return out.toByteArray();
	}

}
