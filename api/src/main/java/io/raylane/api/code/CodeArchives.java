package io.raylane.api.code;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.raylane.api.code.EntryRules.Kind;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks an uploaded code archive into an empty folder, entry by entry, refusing the
 * whole archive at the first entry {@link EntryRules} refuses or past a limit (a
 * decompression bomb stops at {@code maxUnpackedBytes}, whatever its ratio). The caller
 * deletes the folder when this throws. The content hash names the snapshot: the same tree
 * gives the same hash, whatever the archive format, order or timestamps.
 */
final class CodeArchives {

	/** The archive formats taken, by the request's media type. */
	enum Format {

		ZIP, TAR_GZ;

		/**
		 * Empty for a media type not taken; {@code application/octet-stream}: by its
		 * first bytes.
		 */
		static Optional<Format> of(String contentType) {
			return switch (mediaType(contentType)) {
				case "application/zip", "application/x-zip-compressed" -> Optional.of(ZIP);
				case "application/gzip", "application/x-gzip", "application/x-tar+gzip" -> Optional.of(TAR_GZ);
				default -> Optional.empty();
			};
		}

		static boolean sniffed(String contentType) {
			return mediaType(contentType).equals("application/octet-stream");
		}

		/**
		 * By the archive's magic number: {@code PK} for a zip, {@code 1f 8b} for gzip.
		 */
		static Optional<Format> of(byte[] head) {
			if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') {
				return Optional.of(ZIP);
			}
			if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
				return Optional.of(TAR_GZ);
			}
			return Optional.empty();
		}

		private static String mediaType(String contentType) {
			return (contentType != null) ? contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT) : "";
		}

	}

	/**
	 * @param maxArchiveBytes the upload itself
	 * @param maxUnpackedBytes every file's bytes together, once unpacked
	 * @param maxEntries files and directories together
	 */
	record Limits(long maxArchiveBytes, long maxUnpackedBytes, int maxEntries) {
	}

	/** A refused archive: the entry at fault (or null) and why. */
	static final class Refused extends Exception {

		private final String entry;

		Refused(String entry, String reason) {
			super(reason);
			this.entry = entry;
		}

		String entry() {
			return this.entry;
		}

	}

	/**
	 * @param hash the tree's SHA-256 (hex)
	 * @param bytes the files' bytes together
	 * @param files how many regular files
	 */
	record Unpacked(String hash, long bytes, int files) {
	}

	private CodeArchives() {
	}

	/**
	 * Unpacks {@code body} into {@code into} (an empty, existing folder). A zip is first
	 * kept in {@code scratch} (its directory is at its end, and only the directory says
	 * which entries are links).
	 */
	static Unpacked unpack(InputStream body, Format format, Path into, Path scratch, Limits limits)
			throws IOException, Refused {
		Tree tree = new Tree(into, limits);
		if (format == Format.TAR_GZ) {
			try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(body))) {
				TarArchiveEntry entry;
				while ((entry = tar.getNextEntry()) != null) {
					tree.add(entry.getName(), kind(entry), tar);
				}
			}
			catch (IOException ex) {
				throw new Refused(null, "not a readable tar.gz archive: " + ex.getMessage());
			}
		}
		else {
			Files.copy(body, scratch, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			try (ZipFile zip = ZipFile.builder().setPath(scratch).get()) {
				Enumeration<ZipArchiveEntry> entries = zip.getEntriesInPhysicalOrder();
				while (entries.hasMoreElements()) {
					ZipArchiveEntry entry = entries.nextElement();
					try (InputStream content = zip.getInputStream(entry)) {
						tree.add(entry.getName(), kind(entry), content);
					}
				}
			}
			catch (IOException ex) {
				throw new Refused(null, "not a readable zip archive: " + ex.getMessage());
			}
		}
		if (tree.files == 0) {
			throw new Refused(null, "the archive holds no file");
		}
		return new Unpacked(tree.hash(), tree.bytes, tree.files);
	}

	static Kind kind(TarArchiveEntry entry) {
		if (entry.isSymbolicLink()) {
			return Kind.SYMLINK;
		}
		if (entry.isLink()) {
			return Kind.HARDLINK;
		}
		if (entry.isCharacterDevice() || entry.isBlockDevice()) {
			return Kind.DEVICE;
		}
		if (entry.isFIFO()) {
			return Kind.FIFO;
		}
		if (entry.isDirectory()) {
			return Kind.DIRECTORY;
		}
		return entry.isFile() ? Kind.FILE : Kind.OTHER;
	}

	/**
	 * From the unix mode a zip's directory keeps (none: by the name's trailing slash).
	 */
	static Kind kind(ZipArchiveEntry entry) {
		int type = entry.getUnixMode() & 0170000;
		return switch (type) {
			case 0 -> entry.isDirectory() ? Kind.DIRECTORY : Kind.FILE;
			case 0100000 -> Kind.FILE;
			case 0040000 -> Kind.DIRECTORY;
			case 0120000 -> Kind.SYMLINK;
			case 0020000, 0060000 -> Kind.DEVICE;
			case 0010000 -> Kind.FIFO;
			default -> Kind.OTHER;
		};
	}

	/** The folder being filled, its limits and its running hash. */
	private static final class Tree {

		private final Path root;

		private final Limits limits;

		/** every path written, to refuse one written twice. */
		private final java.util.Set<String> entries = new java.util.HashSet<>();

		/**
		 * file path → its SHA-256: the snapshot's hash is over this, sorted (directories
		 * do not count, so an archive with or without directory entries hashes alike).
		 */
		private final Map<String, String> fileHashes = new TreeMap<>();

		private long bytes;

		private int files;

		Tree(Path root, Limits limits) {
			this.root = root;
			this.limits = limits;
		}

		void add(String name, Kind kind, InputStream content) throws IOException, Refused {
			EntryRules.Result checked = EntryRules.check(name, kind);
			if (checked.refused()) {
				throw new Refused(checked.path(), checked.problem());
			}
			String path = checked.path();
			if (path.isEmpty()) {
				return;
			}
			if (this.entries.contains(path)) {
				throw new Refused(path, "the archive holds this path twice");
			}
			if (this.entries.size() >= this.limits.maxEntries()) {
				throw new Refused(path, "the archive holds more than " + this.limits.maxEntries() + " entries");
			}
			Path target = this.root.resolve(path).normalize();
			if (!target.startsWith(this.root)) {
				throw new Refused(path, "'..' is refused (it would leave the snapshot)");
			}
			try {
				if (kind == Kind.DIRECTORY) {
					Files.createDirectories(target);
					this.entries.add(path);
					return;
				}
				Files.createDirectories(target.getParent());
				this.entries.add(path);
				this.fileHashes.put(path, write(content, target));
				this.files++;
			}
			catch (FileAlreadyExistsException ex) {
				throw new Refused(path, "a file and a directory share this path");
			}
		}

		/** Copies one file, counting against the unpacked limit as it goes. */
		private String write(InputStream content, Path target) throws IOException, Refused {
			MessageDigest digest = sha256();
			try (OutputStream out = new DigestOutputStream(
					Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), digest)) {
				byte[] buffer = new byte[64 * 1024];
				int read;
				while ((read = content.read(buffer)) != -1) {
					this.bytes += read;
					if (this.bytes > this.limits.maxUnpackedBytes()) {
						throw new Refused(this.root.relativize(target).toString(), "the archive unpacks past "
								+ this.limits.maxUnpackedBytes() + " bytes (raylane.code.max-unpacked-size)");
					}
					out.write(buffer, 0, read);
				}
			}
			return HexFormat.of().formatHex(digest.digest());
		}

		String hash() {
			MessageDigest digest = sha256();
			this.fileHashes.forEach(
					(path, content) -> digest.update((path + "\0" + content + "\n").getBytes(StandardCharsets.UTF_8)));
			return HexFormat.of().formatHex(digest.digest());
		}

		private static MessageDigest sha256() {
			try {
				return MessageDigest.getInstance("SHA-256");
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException("every JDK has SHA-256", ex);
			}
		}

	}

}
