package io.raylane.api.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import io.raylane.api.storage.JobDirListing.Kind;
import io.raylane.jobspec.checkpoint.CheckpointFolders;

/**
 * The disk side of the cleanup (issue 16): lists a job directory for
 * {@link CleanupPlanner} and deletes (or, in a dry run, only measures) the paths it
 * planned. Never follows a symbolic link: every check is {@code lstat}
 * ({@link LinkOption#NOFOLLOW_LINKS}), walks do not follow links, and a link is deleted
 * as a link (its target is untouched and counts nothing). Bytes are the sizes of the
 * regular files removed, read one by one just before each is deleted, so a dry run adds
 * up exactly what the real run frees.
 */
final class JobDirs {

	/** Entries one listing reads from a folder (a job directory has a handful). */
	static final int MAX_LIST = 100_000;

	private JobDirs() {
	}

	/**
	 * Lists {@code dir}, a folder below {@code sharedRoot}: {@link Kind#LINK} when it or
	 * a folder between the root and it is a link.
	 */
	static JobDirListing list(Path sharedRoot, Path dir) throws IOException {
		Path relative = sharedRoot.relativize(dir);
		Path at = sharedRoot;
		for (Path part : relative) {
			at = at.resolve(part);
			Kind kind = kind(at);
			if (kind == Kind.MISSING) {
				return JobDirListing.of(Kind.MISSING);
			}
			if (kind != Kind.DIRECTORY) {
				return JobDirListing.of(Kind.LINK);
			}
		}
		Map<String, Kind> entries = entries(dir);
		Map<String, Kind> checkpoints = Map.of();
		Integer latest = null;
		if (entries.get(CleanupPlanner.CHECKPOINTS) == Kind.DIRECTORY) {
			Path folder = dir.resolve(CleanupPlanner.CHECKPOINTS);
			checkpoints = entries(folder);
			latest = tracker(folder.resolve(CheckpointFolders.TRACKER));
		}
		return new JobDirListing(Kind.DIRECTORY, entries, checkpoints, latest);
	}

	/**
	 * Deletes {@code path} (a file, a link, or a folder tree), or only measures it when
	 * {@code dryRun}.
	 * @return the bytes of the regular files it held
	 */
	static long remove(Path path, boolean dryRun) throws IOException {
		Kind kind = kind(path);
		if (kind == Kind.MISSING) {
			return 0;
		}
		if (kind != Kind.DIRECTORY) {
			long bytes = (kind == Kind.FILE) ? sizeOf(path) : 0;
			if (!dryRun) {
				Files.deleteIfExists(path);
			}
			return bytes;
		}
		long[] bytes = { 0 };
		// walkFileTree without FOLLOW_LINKS: a link is visited as a file, never entered
		Files.walkFileTree(path, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
				if (attrs.isRegularFile()) {
					bytes[0] += attrs.size();
				}
				if (!dryRun) {
					Files.deleteIfExists(file);
				}
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
				if (failure != null) {
					throw failure;
				}
				if (!dryRun) {
					Files.deleteIfExists(dir);
				}
				return FileVisitResult.CONTINUE;
			}
		});
		return bytes[0];
	}

	/** What {@code path} is, not following a link. */
	static Kind kind(Path path) {
		try {
			BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			if (attrs.isSymbolicLink()) {
				return Kind.LINK;
			}
			return attrs.isDirectory() ? Kind.DIRECTORY : attrs.isRegularFile() ? Kind.FILE : Kind.OTHER;
		}
		catch (NoSuchFileException ex) {
			return Kind.MISSING;
		}
		catch (IOException ex) {
			return Kind.OTHER;
		}
	}

	private static long sizeOf(Path file) throws IOException {
		return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
	}

	private static Map<String, Kind> entries(Path dir) throws IOException {
		Map<String, Kind> entries = new HashMap<>();
		try (Stream<Path> list = Files.list(dir)) {
			list.limit(MAX_LIST).forEach((p) -> entries.put(p.getFileName().toString(), kind(p)));
		}
		return entries;
	}

	private static Integer tracker(Path file) {
		try {
			if (kind(file) != Kind.FILE || sizeOf(file) > 64) {
				return null;
			}
			return CheckpointFolders.trackerStep(Files.readString(file, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			return null;
		}
	}

}
