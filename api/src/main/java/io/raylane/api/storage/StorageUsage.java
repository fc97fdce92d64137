package io.raylane.api.storage;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.raylane.support.RaylaneSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * What the shared storage holds, for {@code GET /v1/storage} (issue 16): one walk of the
 * shared root (not following links), at most {@code raylane.storage.usage-max-entries}
 * entries (past it the answer says {@code truncated}), kept for
 * {@code raylane.storage.usage-cache} so that repeated calls cost one walk. The file
 * system's size and free space come from its {@link FileStore} at each call.
 */
@Component
class StorageUsage {

	private static final Logger log = LoggerFactory.getLogger(StorageUsage.class);

	private final Path root;

	private final Clock clock;

	private final Duration cacheFor;

	private final long maxEntries;

	private Walk last;

	@Autowired
	StorageUsage(RaylaneSettings settings, StorageProperties properties, Clock clock) {
		this(settings.shared().root(), clock, properties.usageCache(), properties.usageMaxEntries());
	}

	StorageUsage(Path root, Clock clock, Duration cacheFor, long maxEntries) {
		this.root = root.toAbsolutePath().normalize();
		this.clock = clock;
		this.cacheFor = cacheFor;
		this.maxEntries = maxEntries;
	}

	/**
	 * One walk's result.
	 *
	 * @param at when it was made
	 * @param tally the bytes by place
	 * @param truncated whether the walk stopped at the entry bound
	 */
	record Walk(Instant at, UsageTally tally, boolean truncated) {
	}

	/**
	 * The file system of the shared root.
	 *
	 * @param sizeBytes its size
	 * @param usedBytes size minus unallocated space
	 * @param freeBytes space this process may still use
	 */
	record FileSystemSpace(long sizeBytes, long usedBytes, long freeBytes) {
	}

	/** The latest walk, made again once older than the cache time. */
	synchronized Walk walk() {
		Instant now = this.clock.instant();
		if (this.last == null || !now.isBefore(this.last.at().plus(this.cacheFor))) {
			this.last = walkNow(now);
		}
		return this.last;
	}

	/** The shared root's file system now, or null when it cannot be read. */
	FileSystemSpace space() {
		try {
			if (!Files.isDirectory(this.root)) {
				return null;
			}
			FileStore store = Files.getFileStore(this.root);
			long size = store.getTotalSpace();
			return new FileSystemSpace(size, Math.max(0, size - store.getUnallocatedSpace()), store.getUsableSpace());
		}
		catch (IOException ex) {
			return null;
		}
	}

	private Walk walkNow(Instant now) {
		UsageTally tally = new UsageTally();
		boolean[] truncated = { false };
		if (Files.isDirectory(this.root)) {
			try {
				// no FOLLOW_LINKS: a link is counted as an entry of 0 bytes, never
				// entered
				Files.walkFileTree(this.root, new SimpleFileVisitor<>() {
					@Override
					public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
						return count(dir, 0);
					}

					@Override
					public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
						return count(file, attrs.isRegularFile() ? attrs.size() : 0);
					}

					@Override
					public FileVisitResult visitFileFailed(Path file, IOException ex) {
						return FileVisitResult.CONTINUE;
					}

					private FileVisitResult count(Path path, long bytes) {
						if (tally.entries() >= StorageUsage.this.maxEntries) {
							truncated[0] = true;
							return FileVisitResult.TERMINATE;
						}
						tally.add(StorageUsage.this.root.relativize(path), bytes);
						return FileVisitResult.CONTINUE;
					}
				});
			}
			catch (IOException ex) {
				log.warn("the walk of the shared root {} failed: {}", this.root, ex.toString());
			}
		}
		if (truncated[0]) {
			log.warn("the walk of the shared root {} stopped after {} entries (raylane.storage.usage-max-entries)",
					this.root, this.maxEntries);
		}
		return new Walk(now, tally, truncated[0]);
	}

	/** Bytes per job of the latest walk (for tests and the owner mapping). */
	Map<String, Long> jobBytes() {
		return walk().tally().jobs();
	}

}
