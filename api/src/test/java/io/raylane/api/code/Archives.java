package io.raylane.api.code;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Archives built in the test, hostile ones included, as a client could send them. */
final class Archives {

	private Archives() {
	}

	/** A tar.gz of files (name → content). */
	static byte[] tarGz(Map<String, String> files) throws IOException {
		return tarGz((tar) -> {
			for (Map.Entry<String, String> file : files.entrySet()) {
				file(tar, file.getKey(), file.getValue().getBytes(StandardCharsets.UTF_8));
			}
		});
	}

	static byte[] tarGz(TarWriter writer) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
			tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
			writer.write(tar);
		}
		return bytes.toByteArray();
	}

	static void file(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
		// preserveAbsolutePath: commons-compress would strip a leading slash, a hostile
		// client does not
		TarArchiveEntry entry = new TarArchiveEntry(name, true);
		entry.setSize(content.length);
		tar.putArchiveEntry(entry);
		tar.write(content);
		tar.closeArchiveEntry();
	}

	/** An entry of a special type: a link, a device, a pipe (no content). */
	static void special(TarArchiveOutputStream tar, String name, byte type, String linkTarget) throws IOException {
		TarArchiveEntry entry = new TarArchiveEntry(name, type);
		if (linkTarget != null) {
			entry.setLinkName(linkTarget);
		}
		tar.putArchiveEntry(entry);
		tar.closeArchiveEntry();
	}

	/** A zip of files (name → content). */
	static byte[] zip(Map<String, String> files) throws IOException {
		return zip((zip) -> {
			for (Map.Entry<String, String> file : files.entrySet()) {
				ZipArchiveEntry entry = new ZipArchiveEntry(file.getKey());
				zip.putArchiveEntry(entry);
				zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
				zip.closeArchiveEntry();
			}
		});
	}

	static byte[] zip(ZipWriter writer) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
			writer.write(zip);
		}
		return bytes.toByteArray();
	}

	/**
	 * A zip symlink: unix mode 0120777 in the central directory, the target as content.
	 */
	static void zipSymlink(ZipArchiveOutputStream zip, String name, String target) throws IOException {
		ZipArchiveEntry entry = new ZipArchiveEntry(name);
		entry.setUnixMode(0120777);
		zip.putArchiveEntry(entry);
		zip.write(target.getBytes(StandardCharsets.UTF_8));
		zip.closeArchiveEntry();
	}

	static final byte SYMLINK = TarConstants.LF_SYMLINK;

	static final byte HARDLINK = TarConstants.LF_LINK;

	static final byte CHAR_DEVICE = TarConstants.LF_CHR;

	static final byte FIFO = TarConstants.LF_FIFO;

	interface TarWriter {

		void write(TarArchiveOutputStream tar) throws IOException;

	}

	interface ZipWriter {

		void write(ZipArchiveOutputStream zip) throws IOException;

	}

}
