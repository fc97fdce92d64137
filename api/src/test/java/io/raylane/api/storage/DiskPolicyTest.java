package io.raylane.api.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.raylane.api.jobs.JobViewStoreAccess;
import io.raylane.api.storage.StorageProperties.PoolPolicy;
import io.raylane.topics.TestClock;
import io.raylane.topics.job.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.raylane.api.storage.CleanupFixtures.NOW;
import static io.raylane.api.storage.CleanupFixtures.finished;
import static io.raylane.api.storage.CleanupFixtures.jobDir;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One run of the disk policy on a real file system (issue 16): nothing until the job view
 * caught up; then old finished jobs go down to their last checkpoint, a recent one and a
 * disabled pool's stay, each cleaned job is audited as {@code disk-policy}, and a second
 * run finds nothing left.
 */
class DiskPolicyTest {

	@TempDir
	Path root;

	final JobViewStoreAccess store = new JobViewStoreAccess();

	final List<String> audits = new ArrayList<>();

	final AtomicBoolean caughtUp = new AtomicBoolean(false);

	DiskPolicy policy() {
		StorageProperties properties = new StorageProperties(Duration.ofMinutes(5), 1000, Duration.ofHours(1),
				new PoolPolicy(true, Duration.ofDays(14), 1),
				Map.of("keep", new PoolPolicy(false, Duration.ofDays(1), 1)));
		TestClock clock = new TestClock(NOW);
		return new DiskPolicy(new ArtifactCleanup(this.store.store(), this.root, clock), this.store.store(),
				this.caughtUp::get, (user, action, subject, outcome, remote) -> this.audits
					.add(String.join(" | ", user, action, subject, outcome)),
				properties, clock);
	}

	@Test
	void shouldReduceOldFinishedJobsToTheirLastCheckpointOnceTheViewCaughtUp() throws IOException {
		Path old = jobDir(this.root, "rl-old", 3, 1, 2, 3);
		Path recent = jobDir(this.root, "rl-recent", 3, 1, 2, 3);
		Path kept = jobDir(this.root, "rl-keep", 3, 1, 2, 3);
		this.store.apply(finished("rl-old", JobStatus.SUCCEEDED, old));
		this.store.apply(finished("rl-recent", JobStatus.FAILED, recent).toBuilder()
			.endedAt(NOW.minus(Duration.ofDays(13)))
			.build());
		this.store.apply(finished("rl-keep", JobStatus.SUCCEEDED, kept).toBuilder().pool("keep").build());
		DiskPolicy policy = policy();

		assertThat(policy.runOnce()).as("the view has not caught up").isZero();
		assertThat(old.resolve("checkpoints/global_step_1")).isDirectory();

		this.caughtUp.set(true);
		long freed = policy.runOnce();

		assertThat(freed).isEqualTo(2000);
		assertThat(old.resolve("checkpoints/global_step_1")).doesNotExist();
		assertThat(old.resolve("checkpoints/global_step_2")).doesNotExist();
		assertThat(old.resolve("checkpoints/global_step_3")).isDirectory();
		assertThat(old.resolve("logs/driver.log")).isRegularFile();
		assertThat(recent.resolve("checkpoints/global_step_1")).as("ended 13 days ago").isDirectory();
		assertThat(kept.resolve("checkpoints/global_step_1")).as("its pool's policy is off").isDirectory();
		assertThat(this.audits).containsExactly("disk-policy | cleanup_job_artifacts | rl-old | freed 2000 bytes: "
				+ "[checkpoints/global_step_1, checkpoints/global_step_2]");

		assertThat(policy.runOnce()).as("nothing left").isZero();
		assertThat(this.audits).hasSize(1);
	}

}
