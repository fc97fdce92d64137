package io.raylane.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where the all-in-one's local head gives each job process its own working folder and
 * HOME (issue 12): {@code <java.io.tmpdir>/raylane-drivers-<hash of the data dir>},
 * outside the data directory (whose tokens and state a job must not reach) and reachable
 * by an unprivileged job user whatever the data directory's parents allow. The same data
 * directory gets the same folder after a restart, so an adopted job keeps its folder. A
 * folder someone else created there is refused.
 */
final class DriverRoot {

	private DriverRoot() {
	}

	static Path create(Path dataDir) throws IOException {
		Path root = Path.of(System.getProperty("java.io.tmpdir")).resolve("raylane-drivers-" + hash(dataDir));
		if (!Files.isDirectory(root)) {
			try {
				Files.createDirectory(root,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
			}
			catch (java.nio.file.FileAlreadyExistsException ex) {
				// created meanwhile: checked below like any other
			}
		}
		if (Files.isSymbolicLink(root) || !Files.getOwner(root).getName().equals(System.getProperty("user.name"))) {
			throw new IOException(root + " exists and is not this user's own folder; refusing to run jobs in it");
		}
		return root;
	}

	/** Removes the folder and everything in it, never following a link a job planted. */
	static void delete(Path root) throws IOException {
		if (root == null || !Files.isDirectory(root) || Files.isSymbolicLink(root)) {
			return;
		}
		Files.walkFileTree(root, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
				Files.deleteIfExists(file);
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult postVisitDirectory(Path dir, IOException ex) throws IOException {
				Files.deleteIfExists(dir);
				return FileVisitResult.CONTINUE;
			}
		});
	}

	private static String hash(Path dataDir) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(dataDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 6);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
