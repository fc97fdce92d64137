package io.raylane.cli.commands;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import io.raylane.cli.CliException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodeZipTest {

	@TempDir
	Path dir;

	@Test
	void shouldPackTheFoldersFilesUnderPathsRelativeToIt() throws Exception {
		Files.createDirectories(this.dir.resolve("pkg/sub"));
		Files.writeString(this.dir.resolve("pkg/sub/a.py"), "a = 1\n");
		Files.writeString(this.dir.resolve("setup.py"), "");

		List<String> names = new ArrayList<>();
		try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(CodeCommand.zip(this.dir)))) {
			ZipEntry entry;
			while ((entry = zip.getNextEntry()) != null) {
				names.add(entry.getName());
			}
		}

		assertThat(names).containsExactly("pkg/sub/a.py", "setup.py");
	}

	@Test
	void shouldRefuseALinkRatherThanUploadWhatItPointsTo() throws Exception {
		Files.createSymbolicLink(this.dir.resolve("etc"), Path.of("/etc"));

		assertThatThrownBy(() -> CodeCommand.zip(this.dir)).isInstanceOf(CliException.class)
			.hasMessageContaining("links are not uploaded")
			.hasMessageContaining("etc");
	}

	@Test
	void shouldRefuseSomethingThatIsNotAFolder() throws Exception {
		Path file = Files.writeString(this.dir.resolve("f.py"), "");

		assertThatThrownBy(() -> CodeCommand.zip(file)).isInstanceOf(CliException.class)
			.hasMessageContaining("not a folder");
	}

}
