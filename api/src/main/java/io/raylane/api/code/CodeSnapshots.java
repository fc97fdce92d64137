package io.raylane.api.code;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import io.raylane.api.errors.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;

/**
 * Immutable code snapshots on the shared storage (roadmap v3.1, way B):
 * {@code <root>/users/<user>/code/<name>/<content hash>}, read-only once written. An
 * archive is unpacked into a hidden folder beside them and moved into place only when
 * every entry passed, so a refused archive writes nothing that stays. The same tree
 * uploaded again is the same snapshot.
 */
final class CodeSnapshots {

	private static final Logger log = LoggerFactory.getLogger(CodeSnapshots.class);

	private static final java.util.regex.Pattern HASH = java.util.regex.Pattern.compile("[0-9a-f]{64}");

	private final Path root;

	private final CodeArchives.Limits limits;

	CodeSnapshots(Path root, CodeArchives.Limits limits) {
		this.root = root.toAbsolutePath().normalize();
		this.limits = limits;
	}

	/**
	 * @param name the snapshot's name
	 * @param hash its content hash
	 * @param path where it is: a {@code code_path}
	 * @param bytes its files' bytes (null in a listing)
	 * @param files how many files (null in a listing)
	 * @param createdAt when it was first stored
	 * @param created false when the same tree was already stored
	 */
	record Snapshot(String name, String hash, String path, Long bytes, Integer files, Instant createdAt,
			Boolean created) {
	}

	Snapshot store(String user, String name, CodeArchives.Format format, InputStream body) throws IOException {
		Path code = codeFolder(user);
		Files.createDirectories(code);
		Path incoming = code.resolve(".incoming-" + UUID.randomUUID());
		Path scratch = code.resolve(".incoming-" + UUID.randomUUID() + ".zip");
		Files.createDirectory(incoming);
		try {
			CodeArchives.Unpacked unpacked = CodeArchives.unpack(body, format, incoming, scratch, this.limits);
			Path target = code.resolve(name).resolve(unpacked.hash());
			if (Files.isDirectory(target)) {
				return snapshot(name, target, unpacked, false);
			}
			Files.createDirectories(target.getParent());
			readOnly(incoming);
			moveIntoPlace(incoming, target);
			log.info("code snapshot {} of {} stored: {} files, {} bytes", target, user, unpacked.files(),
					unpacked.bytes());
			return snapshot(name, target, unpacked, true);
		}
		catch (CodeArchives.Refused refused) {
			throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_archive", refused.entry(), refused.getMessage());
		}
		finally {
			deleteQuietly(incoming);
			Files.deleteIfExists(scratch);
		}
	}

	/** The caller's snapshots, by name then newest first. */
	List<Snapshot> list(String user) throws IOException {
		Path code = codeFolder(user);
		List<Snapshot> snapshots = new ArrayList<>();
		if (!Files.isDirectory(code)) {
			return snapshots;
		}
		try (DirectoryStream<Path> names = Files.newDirectoryStream(code, Files::isDirectory)) {
			for (Path named : names) {
				String name = named.getFileName().toString();
				if (EntryRules.nameProblem(name).isPresent()) {
					continue;
				}
				try (DirectoryStream<Path> hashes = Files.newDirectoryStream(named,
						(p) -> Files.isDirectory(p) && HASH.matcher(p.getFileName().toString()).matches())) {
					for (Path snapshot : hashes) {
						snapshots.add(new Snapshot(name, snapshot.getFileName().toString(), snapshot.toString(), null,
								null, Files.getLastModifiedTime(snapshot).toInstant(), null));
					}
				}
			}
		}
		snapshots
			.sort(Comparator.comparing(Snapshot::name).thenComparing(Snapshot::createdAt, Comparator.reverseOrder()));
		return snapshots;
	}

	private Path codeFolder(String user) {
		if (!Files.isDirectory(this.root)) {
			throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "shared_storage_unavailable", null,
					"the shared storage is not mounted where the API runs; try again later or tell an admin");
		}
		return this.root.resolve("users").resolve(user).resolve("code");
	}

	private static Snapshot snapshot(String name, Path target, CodeArchives.Unpacked unpacked, boolean created)
			throws IOException {
		return new Snapshot(name, unpacked.hash(), target.toString(), unpacked.bytes(), unpacked.files(),
				Files.getLastModifiedTime(target).toInstant(), created);
	}

	private static void moveIntoPlace(Path incoming, Path target) throws IOException {
		try {
			Files.move(incoming, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(incoming, target);
		}
		catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException ex) {
			// the same tree, uploaded at the same moment by another request: theirs
			// stands
		}
	}

	/**
	 * Files r--r--r--, folders r-xr-xr-x: jobs (any user on the node) read, nobody
	 * writes.
	 */
	private static void readOnly(Path folder) throws IOException {
		try (Stream<Path> paths = Files.walk(folder)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.setPosixFilePermissions(path,
						PosixFilePermissions.fromString(Files.isDirectory(path) ? "r-xr-xr-x" : "r--r--r--"));
			}
		}
	}

	private static void deleteQuietly(Path folder) {
		if (!Files.exists(folder)) {
			return;
		}
		try {
			List<Path> paths;
			try (Stream<Path> walk = Files.walk(folder)) {
				paths = walk.toList();
			}
			// folders writable first (a moved-aside snapshot is read-only), then deepest
			// first
			paths.stream().filter(Files::isDirectory).forEach((dir) -> dir.toFile().setWritable(true, true));
			for (int i = paths.size() - 1; i >= 0; i--) {
				Files.deleteIfExists(paths.get(i));
			}
		}
		catch (IOException ex) {
			log.warn("could not delete {}: {}", folder, ex.getMessage());
		}
	}

}
