package io.raylane.deploy.localray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Finding {@code ray} on PATH and reading its {@code --version}, with scripts. */
class RayCliTest {

	@TempDir
	Path dir;

	@Test
	void shouldTakeTheFirstExecutableRayOnThePath() throws IOException {
		Path empty = Files.createDirectories(this.dir.resolve("empty"));
		Path notExecutable = Files.createDirectories(this.dir.resolve("plain"));
		Files.writeString(notExecutable.resolve("ray"), "#!/bin/sh\n");
		Path first = script("first", "echo 'ray, version 2.60.0'");
		script("second", "echo 'ray, version 2.49.2'");
		String path = empty + ":" + notExecutable + "::" + first.getParent() + ":" + this.dir.resolve("second");

		assertThat(RayCli.onPath(path)).contains(first);
		assertThat(RayCli.onPath(empty.toString())).isEmpty();
		assertThat(RayCli.onPath(null)).isEmpty();
	}

	@Test
	void shouldReadTheVersionOrSayWhyThereIsNone() throws IOException {
		Path good = script("good", "echo 'ray, version 2.60.0'");
		Path broken = script("broken",
				"echo 'Traceback (most recent call last):' >&2; echo 'ImportError: no ray' >&2; exit 1");

		assertThat(RayCli.probe(good.getParent().toString()).version()).contains("2.60.0");
		RayCliProbe failed = RayCli.probe(broken.getParent().toString());
		assertThat(failed.version()).isEmpty();
		assertThat(failed.failure()).isEqualTo("exit 1: ImportError: no ray");
		assertThat(RayCli.probe(this.dir.resolve("nowhere").toString())).isEqualTo(RayCliProbe.notOnPath());
	}

	private Path script(String dirName, String body) throws IOException {
		Path ray = Files.createDirectories(this.dir.resolve(dirName)).resolve("ray");
		Files.writeString(ray, "#!/bin/sh\n" + body + "\n");
		Files.setPosixFilePermissions(ray, PosixFilePermissions.fromString("rwxr-xr-x"));
		return ray;
	}

}
