package io.raylane.support.files;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Issue 12 item 3, with real symbolic links on disk: a link a job plants in its directory
 * is never followed, whether Raylane reads the job's log or writes it.
 */
class JobDirFilesTest {

	@TempDir
	Path root;

	Path jobs;

	Path secret;

	JobDirFiles files;

	@BeforeEach
	void layOut() throws Exception {
		this.jobs = Files.createDirectories(this.root.resolve("shared/jobs"));
		this.secret = Files.writeString(this.root.resolve("users.yaml"), "admin: token-of-the-admin\n");
		Files.createDirectories(this.jobs.resolve("rl-1/logs"));
		this.files = new JobDirFiles(this.jobs);
	}

	@Test
	void shouldReadTheTailOfARegularLog() throws Exception {
		Files.writeString(this.jobs.resolve("rl-1/logs/driver.log"), "step 1\nstep 2\n");

		assertThat(this.files.readTail("rl-1", "logs", "driver.log", 7)).contains("step 2\n");
		assertThat(this.files.readTail("rl-2", "logs", "driver.log", 7)).isEmpty();
	}

	@Test
	void shouldNotReadThroughALinkAtTheLog() throws Exception {
		Files.createSymbolicLink(this.jobs.resolve("rl-1/logs/driver.log"), this.secret);

		assertThat(this.files.readTail("rl-1", "logs", "driver.log", 1024)).isEmpty();
		assertThat(this.files.isRegularFile("rl-1", "logs", "driver.log")).isFalse();
	}

	@Test
	void shouldNotReadThroughALinkAtTheLogsFolderOrTheJobDirectory() throws Exception {
		Path outside = Files.createDirectories(this.root.resolve("outside"));
		Files.createSymbolicLink(outside.resolve("driver.log"), this.secret);
		Files.writeString(outside.resolve("plain.log"), "not the job's");
		Files.delete(this.jobs.resolve("rl-1/logs"));
		Files.createSymbolicLink(this.jobs.resolve("rl-1/logs"), outside);
		Files.createDirectories(outside.resolve("logs"));
		Files.writeString(outside.resolve("logs/driver.log"), "not the job's either");
		Files.createSymbolicLink(this.jobs.resolve("rl-2"), outside);

		assertThat(this.files.readTail("rl-1", "logs", "plain.log", 1024)).isEmpty();
		assertThat(this.files.readTail("rl-1", "logs", "driver.log", 1024)).isEmpty();
		assertThat(this.files.readTail("rl-2", "logs", "driver.log", 1024)).isEmpty();
	}

	@Test
	void shouldNotBlockOnAFifoAtTheLog() throws Exception {
		Process mkfifo = new ProcessBuilder("mkfifo", this.jobs.resolve("rl-1/logs/driver.log").toString()).start();
		assertThat(mkfifo.waitFor()).isZero();

		assertThat(this.files.readTail("rl-1", "logs", "driver.log", 1024)).isEmpty();
	}

	@Test
	void shouldReplaceALinkAtTheLogInsteadOfWritingThroughIt() throws Exception {
		Path log = this.jobs.resolve("rl-1/logs/driver.log");
		Files.createSymbolicLink(log, this.secret);

		Path written = this.files.writeAtomically("rl-1", "logs", "driver.log", "the driver's output\n");

		assertThat(written).isEqualTo(log);
		assertThat(Files.isSymbolicLink(log)).isFalse();
		assertThat(log).hasContent("the driver's output");
		assertThat(this.secret).hasContent("admin: token-of-the-admin");
		assertThat(this.jobs.resolve("rl-1/logs")).isDirectoryNotContaining("glob:**.tmp");
	}

	@Test
	void shouldRefuseToWriteThroughALinkedLogsFolderOrJobDirectory() throws Exception {
		Path outside = Files.createDirectories(this.root.resolve("outside"));
		Files.delete(this.jobs.resolve("rl-1/logs"));
		Files.createSymbolicLink(this.jobs.resolve("rl-1/logs"), outside);
		Files.createSymbolicLink(this.jobs.resolve("rl-2"), outside);

		assertThatExceptionOfType(JobDirFiles.JobDirLinkException.class)
			.isThrownBy(() -> this.files.writeAtomically("rl-1", "logs", "driver.log", "x"));
		assertThatExceptionOfType(JobDirFiles.JobDirLinkException.class)
			.isThrownBy(() -> this.files.writeAtomically("rl-2", "logs", "driver.log", "x"));
		assertThat(outside).isEmptyDirectory();
		assertThat(Files.isSymbolicLink(this.jobs.resolve("rl-1/logs"))).isTrue();
	}

	@Test
	void shouldCreateMissingFoldersAsPlainDirectories() throws Exception {
		this.files.writeAtomically("rl-3", "logs", "driver.log", "hello");

		assertThat(Files.isDirectory(this.jobs.resolve("rl-3/logs"), LinkOption.NOFOLLOW_LINKS)).isTrue();
		assertThat(this.files.readTail("rl-3", "logs", "driver.log", 1024)).contains("hello");
	}

	@Test
	void shouldRefuseNamesThatAreNotOneSegment() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.files.readTail("..", "logs", "driver.log", 1));
		assertThatIllegalArgumentException().isThrownBy(() -> this.files.readTail("rl-1", "a/b", "driver.log", 1));
	}

}
