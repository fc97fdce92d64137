package io.raylane.api.code;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;

import io.raylane.api.code.CodeArchives.Format;
import io.raylane.api.errors.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.http.HttpStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CodeSnapshotsTest {

	private static final CodeArchives.Limits LIMITS = new CodeArchives.Limits(10_000_000, 1_000_000, 100);

	@TempDir
	Path root;

	@Test
	void shouldStoreATarGzAsAReadOnlySnapshotNamedByItsContent() throws Exception {
		CodeSnapshots snapshots = new CodeSnapshots(this.root, LIMITS);

		CodeSnapshots.Snapshot stored = snapshots.store("alice", "verl-mine", Format.TAR_GZ,
				body(Archives.tarGz(Map.of("pkg/trainer.py", "print('mine')\n", "README", "hi\n"))));

		Path path = Path.of(stored.path());
		assertThat(path.getParent()).isEqualTo(this.root.resolve("users/alice/code/verl-mine"));
		assertThat(path.getFileName().toString()).isEqualTo(stored.hash()).hasSize(64);
		assertThat(stored.created()).isTrue();
		assertThat(stored.files()).isEqualTo(2);
		assertThat(Files.readString(path.resolve("pkg/trainer.py"))).isEqualTo("print('mine')\n");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path.resolve("pkg/trainer.py"))))
			.isEqualTo("r--r--r--");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("r-xr-xr-x");
		// nothing left beside it
		assertThat(names(this.root.resolve("users/alice/code"))).containsExactly("verl-mine");
	}

	@Test
	void shouldGiveTheSameTreeTheSameSnapshotWhateverTheFormatAndAnotherTreeAnother() throws Exception {
		CodeSnapshots snapshots = new CodeSnapshots(this.root, LIMITS);
		Map<String, String> v1 = Map.of("hello.py", "print('v1')\n");

		CodeSnapshots.Snapshot first = snapshots.store("alice", "hello", Format.TAR_GZ, body(Archives.tarGz(v1)));
		CodeSnapshots.Snapshot again = snapshots.store("alice", "hello", Format.ZIP, body(Archives.zip(v1)));
		CodeSnapshots.Snapshot second = snapshots.store("alice", "hello", Format.ZIP,
				body(Archives.zip(Map.of("hello.py", "print('v2')\n"))));

		assertThat(again.path()).isEqualTo(first.path());
		assertThat(again.created()).isFalse();
		assertThat(second.path()).isNotEqualTo(first.path());
		assertThat(Files.readString(Path.of(first.path(), "hello.py"))).contains("v1");
		assertThat(Files.readString(Path.of(second.path(), "hello.py"))).contains("v2");
		assertThat(snapshots.list("alice")).extracting(CodeSnapshots.Snapshot::path)
			.containsExactlyInAnyOrder(first.path(), second.path());
		assertThat(snapshots.list("bob")).isEmpty();
	}

	static Stream<Arguments> hostileArchives() throws IOException {
		byte[] zeros = new byte[2_000_000];
		return Stream.of(
				Arguments.of("absolute path", Format.TAR_GZ,
						Archives.tarGz((tar) -> Archives.file(tar, "/etc/cron.d/x", bytes("x"))), "/etc/cron.d/x"),
				Arguments.of("zip slip", Format.ZIP, Archives.zip(Map.of("ok.py", "1", "../../escape.py", "2")),
						"../../escape.py"),
				Arguments.of("tar slip", Format.TAR_GZ,
						Archives.tarGz((tar) -> Archives.file(tar, "a/../../escape.py", bytes("2"))),
						"a/../../escape.py"),
				Arguments.of("tar symlink", Format.TAR_GZ, Archives.tarGz((tar) -> {
					Archives.file(tar, "ok.py", bytes("1"));
					Archives.special(tar, "etc", Archives.SYMLINK, "/etc");
				}), "etc"),
				Arguments.of("zip symlink", Format.ZIP,
						Archives.zip((zip) -> Archives.zipSymlink(zip, "home", "/home")), "home"),
				Arguments.of("hard link", Format.TAR_GZ, Archives.tarGz((tar) -> {
					Archives.file(tar, "ok.py", bytes("1"));
					Archives.special(tar, "shadow", Archives.HARDLINK, "/etc/shadow");
				}), "shadow"),
				Arguments.of("device", Format.TAR_GZ,
						Archives.tarGz((tar) -> Archives.special(tar, "null", Archives.CHAR_DEVICE, null)), "null"),
				Arguments.of("fifo", Format.TAR_GZ,
						Archives.tarGz((tar) -> Archives.special(tar, "pipe", Archives.FIFO, null)), "pipe"),
				// 2 MB of zeros compress to about 2 KB: past the 1 MB unpacked limit
				Arguments.of("decompression bomb", Format.TAR_GZ,
						Archives.tarGz((tar) -> Archives.file(tar, "zeros.bin", zeros)), "zeros.bin"),
				Arguments.of("too many entries", Format.TAR_GZ, Archives.tarGz((tar) -> {
					for (int i = 0; i < 101; i++) {
						Archives.file(tar, "f" + i, bytes("x"));
					}
				}), "f100"), Arguments.of("a path twice", Format.TAR_GZ, Archives.tarGz((tar) -> {
					Archives.file(tar, "x.py", bytes("1"));
					Archives.file(tar, "x.py", bytes("2"));
				}), "x.py"), Arguments.of("not an archive", Format.TAR_GZ, bytes("print('hello')"), null),
				Arguments.of("not a zip", Format.ZIP, bytes("PK but not really"), null),
				Arguments.of("empty archive", Format.ZIP, Archives.zip(Map.of()), null));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("hostileArchives")
	void shouldRefuseAHostileArchiveWith400AndWriteNothing(String label, Format format, byte[] archive, String entry)
			throws Exception {
		CodeSnapshots snapshots = new CodeSnapshots(this.root, LIMITS);

		ApiException refused = catchThrowableOfType(ApiException.class,
				() -> snapshots.store("alice", "evil", format, body(archive)));

		assertThat(refused).as(label).isNotNull();
		assertThat(refused.status()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(refused.code()).isEqualTo("invalid_archive");
		assertThat(refused.field()).isEqualTo(entry);
		assertThat(names(this.root.resolve("users/alice/code"))).as("left in the code folder").isEmpty();
		assertThat(this.root.resolve("escape.py")).doesNotExist();
		assertThat(snapshots.list("alice")).isEmpty();
	}

	@Test
	void shouldAnswer503WhereTheSharedStorageIsNotMounted() {
		CodeSnapshots snapshots = new CodeSnapshots(this.root.resolve("not-mounted"), LIMITS);

		ApiException refused = catchThrowableOfType(ApiException.class,
				() -> snapshots.store("alice", "x", Format.ZIP, body(Archives.zip(Map.of("a.py", "1")))));

		assertThat(refused.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
	}

	private static ByteArrayInputStream body(byte[] bytes) {
		return new ByteArrayInputStream(bytes);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static java.util.List<String> names(Path folder) throws IOException {
		if (!Files.isDirectory(folder)) {
			return java.util.List.of();
		}
		try (Stream<Path> children = Files.list(folder)) {
			return children.map((p) -> p.getFileName().toString()).sorted().toList();
		}
	}

}
