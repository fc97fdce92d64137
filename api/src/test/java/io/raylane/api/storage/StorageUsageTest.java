package io.raylane.api.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.raylane.topics.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.raylane.api.storage.CleanupFixtures.NOW;
import static io.raylane.api.storage.CleanupFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walk behind {@code GET /v1/storage}: bytes per home, job and {@code common/}, links
 * not followed, bounded, and cached until it is older than the cache time.
 */
class StorageUsageTest {

	@TempDir
	Path root;

	@TempDir
	Path outside;

	@Test
	void shouldAddUpBytesByPlaceWithoutFollowingLinks() throws IOException {
		write(this.root.resolve("users/alice/models/m.bin"), 300);
		write(this.root.resolve("jobs/rl-1/logs/driver.log"), 50);
		write(this.root.resolve("common/datasets/d.parquet"), 20);
		write(this.root.resolve("stray.txt"), 7);
		write(this.outside.resolve("big.bin"), 9000);
		Files.createSymbolicLink(this.root.resolve("users/alice/link"), this.outside);

		StorageUsage.Walk walk = new StorageUsage(this.root, new TestClock(NOW), Duration.ofMinutes(5), 1000).walk();

		assertThat(walk.tally().homes()).containsEntry("alice", 300L);
		assertThat(walk.tally().jobs()).containsEntry("rl-1", 50L);
		assertThat(walk.tally().common()).isEqualTo(20);
		assertThat(walk.tally().other()).isEqualTo(7);
		assertThat(walk.tally().total()).isEqualTo(377);
		assertThat(walk.truncated()).isFalse();
	}

	@Test
	void shouldStopAtTheEntryBoundAndSaySo() throws IOException {
		for (int i = 0; i < 20; i++) {
			write(this.root.resolve("common/f" + i), 1);
		}

		StorageUsage.Walk walk = new StorageUsage(this.root, new TestClock(NOW), Duration.ofMinutes(5), 10).walk();

		assertThat(walk.truncated()).isTrue();
		assertThat(walk.tally().entries()).isEqualTo(10);
	}

	@Test
	void shouldWalkAgainOnlyOnceTheCacheIsOld() throws IOException {
		TestClock clock = new TestClock(NOW);
		StorageUsage usage = new StorageUsage(this.root, clock, Duration.ofMinutes(5), 1000);
		write(this.root.resolve("common/a"), 10);
		StorageUsage.Walk first = usage.walk();
		write(this.root.resolve("common/b"), 10);

		clock.advance(Duration.ofMinutes(4));
		assertThat(usage.walk()).isSameAs(first);
		clock.advance(Duration.ofMinutes(1));
		assertThat(usage.walk().tally().common()).isEqualTo(20);
		assertThat(usage.space()).isNotNull().satisfies((space) -> assertThat(space.sizeBytes()).isPositive());
	}

}
