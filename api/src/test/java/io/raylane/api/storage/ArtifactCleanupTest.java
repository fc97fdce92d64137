package io.raylane.api.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.raylane.api.jobs.JobViewStoreAccess;
import io.raylane.api.storage.CleanupResponse.JobResult;
import io.raylane.topics.TestClock;
import io.raylane.topics.job.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.raylane.api.storage.CleanupFixtures.NOW;
import static io.raylane.api.storage.CleanupFixtures.finished;
import static io.raylane.api.storage.CleanupFixtures.jobDir;
import static io.raylane.api.storage.CleanupFixtures.resumer;
import static io.raylane.api.storage.CleanupFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cleanup on a real file system: a dry run reports exactly the bytes and files the
 * real run then frees, a pinned checkpoint survives, a link is deleted as a link and its
 * target is untouched, and a second run frees nothing (idempotent).
 */
class ArtifactCleanupTest {

	@TempDir
	Path root;

	@TempDir
	Path outside;

	final JobViewStoreAccess store = new JobViewStoreAccess();

	ArtifactCleanup cleanup() {
		return new ArtifactCleanup(this.store.store(), this.root, new TestClock(NOW));
	}

	static CleanupCriteria ids(boolean dryRun, String... ids) {
		return new CleanupCriteria(List.of(ids), null, null, null, CleanupCriteria.DEFAULT_KEEP, dryRun);
	}

	@Test
	void shouldFreeInTheRealRunExactlyWhatTheDryRunReported() throws IOException {
		Path dir = jobDir(this.root, "rl-a", 30, 10, 20, 30);
		this.store.apply(finished("rl-a", JobStatus.SUCCEEDED, dir));
		List<Path> before = files(this.root);

		CleanupResponse dry = cleanup().run(ids(true, "rl-a"));

		assertThat(files(this.root)).as("a dry run deletes nothing").isEqualTo(before);
		assertThat(dry.dryRun()).isTrue();
		assertThat(dry.bytesFreed()).isEqualTo(2000);
		JobResult planned = dry.jobs().get(0);
		assertThat(planned.deleted()).containsExactly("checkpoints/global_step_10", "checkpoints/global_step_20");

		CleanupResponse real = cleanup().run(ids(false, "rl-a"));

		assertThat(real.bytesFreed()).isEqualTo(dry.bytesFreed());
		assertThat(real.jobs().get(0).deleted()).isEqualTo(planned.deleted());
		assertThat(dir.resolve("checkpoints/global_step_10")).doesNotExist();
		assertThat(dir.resolve("checkpoints/global_step_20")).doesNotExist();
		assertThat(dir.resolve("checkpoints/global_step_30/data.pt")).isRegularFile();
		assertThat(dir.resolve("config/jobspec.yaml")).isRegularFile();
		assertThat(dir.resolve("logs/driver.log")).isRegularFile();
		assertThat(before.size() - files(this.root).size()).as("files and folders removed").isEqualTo(8);

		CleanupResponse again = cleanup().run(ids(false, "rl-a"));
		assertThat(again.bytesFreed()).as("idempotent").isZero();
		assertThat(again.jobs().get(0).deleted()).isEmpty();
	}

	@Test
	void shouldNeverDeleteAStepAQueuedJobResumesFrom() throws IOException {
		Path dir = jobDir(this.root, "rl-early", 30, 10, 20, 30);
		this.store.apply(finished("rl-early", JobStatus.FAILED, dir));
		this.store.apply(resumer("rl-later", JobStatus.QUEUED, "rl-early", 10));

		CleanupResponse response = cleanup().run(new CleanupCriteria(List.of("rl-early"), null, null, null,
				new CleanupCriteria.Keep(0, true, true), false));

		assertThat(dir.resolve("checkpoints/global_step_10")).as("pinned").isDirectory();
		assertThat(dir.resolve("checkpoints/global_step_20")).doesNotExist();
		assertThat(dir.resolve("checkpoints/global_step_30")).doesNotExist();
		assertThat(response.jobs().get(0).kept()).contains("checkpoints/global_step_10");
	}

	@Test
	void shouldDeleteALinkNotItsTarget() throws IOException {
		Path dir = jobDir(this.root, "rl-link", 1, 1);
		write(this.outside.resolve("precious/weights.bin"), 5000);
		Files.delete(dir.resolve("logs/driver.log"));
		Files.delete(dir.resolve("logs"));
		Files.createSymbolicLink(dir.resolve("logs"), this.outside.resolve("precious"));
		Files.createSymbolicLink(dir.resolve("config/escape"), this.outside.resolve("precious"));
		this.store.apply(finished("rl-link", JobStatus.SUCCEEDED, dir));
		CleanupCriteria everything = new CleanupCriteria(List.of("rl-link"), null, null, null,
				new CleanupCriteria.Keep(1, false, false), false);

		CleanupResponse dry = cleanup()
			.run(new CleanupCriteria(everything.jobIds(), null, null, null, everything.keep(), true));
		CleanupResponse real = cleanup().run(everything);

		assertThat(real.jobs().get(0).deleted()).containsExactlyInAnyOrder("logs", "config");
		assertThat(real.bytesFreed()).as("the config file only; links count nothing")
			.isEqualTo(100)
			.isEqualTo(dry.bytesFreed());
		assertThat(dir.resolve("logs")).doesNotExist();
		assertThat(this.outside.resolve("precious/weights.bin")).as("the link's target").isRegularFile();
	}

	@Test
	void shouldRefuseAJobDirectoryBehindALinkOrOutsideTheRoot() throws IOException {
		Path real = jobDir(this.outside, "rl-real", 1, 1, 2);
		Files.createDirectories(this.root.resolve("jobs"));
		Files.createSymbolicLink(this.root.resolve("jobs/rl-linked"), real.toAbsolutePath());
		this.store.apply(finished("rl-linked", JobStatus.SUCCEEDED, this.root.resolve("jobs/rl-linked")));
		this.store.apply(finished("rl-outside", JobStatus.SUCCEEDED, real));

		CleanupResponse response = cleanup().run(ids(false, "rl-linked", "rl-outside", "rl-unknown"));

		assertThat(response.jobs()).extracting(JobResult::refused)
			.containsExactly("job directory is a symbolic link or lies behind one: links are not followed",
					"job directory '" + real + "' is not inside "
							+ this.root.toAbsolutePath().normalize().resolve("jobs") + "/: refused",
					"no such job");
		assertThat(response.bytesFreed()).isZero();
		assertThat(real.resolve("checkpoints/global_step_1")).isDirectory();
	}

	@Test
	void shouldSelectOnlyFinishedJobsOfTheUserOlderThanAsked() throws IOException {
		Path old = jobDir(this.root, "rl-old", 2, 1, 2);
		Path recent = jobDir(this.root, "rl-recent", 2, 1, 2);
		this.store.apply(finished("rl-old", JobStatus.SUCCEEDED, old));
		this.store.apply(
				finished("rl-recent", JobStatus.SUCCEEDED, recent).toBuilder().endedAt(NOW.minusSeconds(3600)).build());
		this.store.apply(finished("rl-bob", JobStatus.SUCCEEDED, old).toBuilder().user("bob").build());
		this.store.apply(resumer("rl-running", JobStatus.RUNNING, "rl-old", 2));

		CleanupResponse response = cleanup().run(new CleanupCriteria(null, java.time.Duration.ofDays(14), "alice", null,
				CleanupCriteria.DEFAULT_KEEP, true));

		assertThat(response.jobs()).extracting(JobResult::jobId).containsExactly("rl-old");
		assertThat(response.bytesFreed()).isEqualTo(1000);
	}

	static List<Path> files(Path root) throws IOException {
		List<Path> all = new ArrayList<>();
		try (Stream<Path> walk = Files.walk(root)) {
			walk.sorted().forEach(all::add);
		}
		return all;
	}

}
