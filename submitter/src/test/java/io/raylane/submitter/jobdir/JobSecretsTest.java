package io.raylane.submitter.jobdir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A job's secrets on disk (owner-only files, written with their final mode) and the
 * entrypoint wrapper that reads them, run by a real {@code /bin/sh} as Ray runs
 * entrypoints.
 */
class JobSecretsTest {

	@TempDir
	Path root;

	JobDirectories directories() {
		return new JobDirectories(this.root, "http://ray:8265");
	}

	@Test
	void shouldWriteOwnerOnlyFilesInAnOwnerOnlyDirectory() throws Exception {
		Path dir = directories().writeSecrets("j1", null,
				new JobSecrets(Map.of("WANDB_API_KEY", "k-1"), "machine api.wandb.ai\n  login user\n  password k-1\n"));

		assertThat(dir).isEqualTo(this.root.resolve("jobs/j1/secrets"));
		assertThat(mode(dir)).isEqualTo("rwx------");
		assertThat(mode(dir.resolve("env"))).isEqualTo("rw-------");
		assertThat(mode(dir.resolve("netrc"))).isEqualTo("rw-------");
		assertThat(Files.readString(dir.resolve("env"))).isEqualTo("WANDB_API_KEY='k-1'\n");
		try (var files = Files.list(dir)) {
			assertThat(files.map((f) -> f.getFileName().toString())).containsExactlyInAnyOrder("env", "netrc");
		}
	}

	@Test
	void shouldLetAConfiguredGroupReadThem() throws Exception {
		String group = Files.readAttributes(this.root, PosixFileAttributes.class).group().getName();
		JobDirectories directories = new JobDirectories(this.root, "http://ray:8265",
				new JobDirectories.SecretsAccess(null, group));

		Path dir = directories.writeSecrets("j2", null, new JobSecrets(Map.of("A", "1"), null));

		assertThat(mode(dir)).isEqualTo("rwxr-x---");
		assertThat(mode(dir.resolve("env"))).isEqualTo("rw-r-----");
		assertThat(Files.readAttributes(dir.resolve("env"), PosixFileAttributes.class).group().getName())
			.isEqualTo(group);
		assertThat(dir.resolve("netrc")).doesNotExist();
	}

	@Test
	void shouldGiveTheEntrypointEveryValueLiterallyAndRunNothingFromThem() throws Exception {
		Path pwned = this.root.resolve("pwned");
		Map<String, String> env = Map.of("WANDB_API_KEY", "k-'quoted' $(touch " + pwned + ") `id`", "WANDB_BASE_URL",
				"https://u:p@h/?x=1&y=2");
		Path dir = directories().writeSecrets("j3", null, new JobSecrets(env, null));
		// the child process shows the variables were exported, not only set
		String entrypoint = JobSecrets.entrypoint("sh -c 'printf \"%s|%s\" \"$WANDB_API_KEY\" \"$WANDB_BASE_URL\"'",
				dir);

		Run run = sh(entrypoint);

		assertThat(run.exit()).isZero();
		assertThat(run.out()).isEqualTo(env.get("WANDB_API_KEY") + "|" + env.get("WANDB_BASE_URL"));
		assertThat(pwned).doesNotExist();
	}

	@Test
	void shouldStopTheJobBeforeItsEntrypointWhenTheFileIsMissing() throws Exception {
		Run run = sh(JobSecrets.entrypoint("echo ran", this.root.resolve("jobs/j4/secrets")));

		assertThat(run.exit()).isNotZero();
		assertThat(run.out()).doesNotContain("ran").contains("jobs/j4/secrets/env");
	}

	@Test
	void shouldRefuseASecretsDirectoryThatIsASymbolicLink() throws Exception {
		Path job = Files.createDirectories(this.root.resolve("jobs/j5"));
		Path elsewhere = Files.createDirectories(this.root.resolve("elsewhere"));
		Files.createSymbolicLink(job.resolve("secrets"), elsewhere);

		assertThatThrownBy(() -> directories().writeSecrets("j5", null, new JobSecrets(Map.of("A", "1"), null)))
			.isInstanceOf(JobDirRefusedException.class)
			.hasMessageContaining("symbolic link");
		try (var files = Files.list(elsewhere)) {
			assertThat(files).isEmpty();
		}
	}

	@Test
	void shouldDeleteThemOnceAndSayWhetherThereWereAny() throws Exception {
		directories().writeSecrets("j6", null, new JobSecrets(Map.of("A", "1"), "machine h\n"));

		assertThat(directories().deleteSecrets("j6", null)).isTrue();
		assertThat(this.root.resolve("jobs/j6/secrets")).doesNotExist();
		assertThat(this.root.resolve("jobs/j6")).exists();
		assertThat(directories().deleteSecrets("j6", null)).isFalse();
	}

	@Test
	void shouldRefuseANameThatIsNoVariableAndShowNoValue() {
		assertThatIllegalArgumentException().isThrownBy(() -> new JobSecrets(Map.of("A;rm", "v"), null));
		assertThat(new JobSecrets(Map.of("K", "s3cret"), "machine h password s3cret").toString())
			.doesNotContain("s3cret")
			.contains("K");
	}

	record Run(int exit, String out) {
	}

	static Run sh(String command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		return new Run(process.exitValue(), out.trim());
	}

	static String mode(Path path) throws IOException {
		return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
	}

}
