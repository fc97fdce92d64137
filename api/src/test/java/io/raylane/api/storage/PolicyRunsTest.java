package io.raylane.api.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.raylane.api.storage.StorageProperties.PoolPolicy;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.junit.jupiter.api.Test;

import static io.raylane.api.storage.CleanupFixtures.NOW;
import static io.raylane.api.storage.CleanupFixtures.finished;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The disk policy's choice per pool (issue 16): finished jobs older than the pool's
 * {@code finished-older-than}, down to its {@code keep-last-checkpoints}; a disabled pool
 * and jobs not finished are left alone.
 */
class PolicyRunsTest {

	static final StorageProperties PROPERTIES = new StorageProperties(Duration.ofMinutes(5), 1_000_000,
			Duration.ofHours(1), new PoolPolicy(true, Duration.ofDays(14), 1), Map.of("a100",
					new PoolPolicy(true, Duration.ofDays(2), 2), "keep", new PoolPolicy(false, Duration.ofDays(1), 1)));

	static JobView job(String id, String pool, JobStatus status, Duration endedAgo) {
		return finished(id, status, Path.of("/shared/jobs/" + id)).toBuilder()
			.pool(pool)
			.endedAt(NOW.minus(endedAgo))
			.build();
	}

	@Test
	void shouldCleanEachPoolsOldFinishedJobsByItsPolicy() {
		List<JobView> views = List.of(job("rl-d-old", "default", JobStatus.SUCCEEDED, Duration.ofDays(15)),
				job("rl-d-new", "default", JobStatus.FAILED, Duration.ofDays(13)),
				job("rl-a-old", "a100", JobStatus.STOPPED, Duration.ofDays(3)),
				job("rl-a-new", "a100", JobStatus.SUCCEEDED, Duration.ofDays(1)),
				job("rl-k-old", "keep", JobStatus.SUCCEEDED, Duration.ofDays(99)),
				job("rl-running", "default", JobStatus.RUNNING, Duration.ofDays(99)));

		List<CleanupCriteria> runs = PolicyRuns.plan(views, PROPERTIES, NOW);

		assertThat(runs).hasSize(2);
		assertThat(runs).anySatisfy((run) -> {
			assertThat(run.jobIds()).containsExactly("rl-d-old");
			assertThat(run.keep()).isEqualTo(new CleanupCriteria.Keep(1, true, true));
			assertThat(run.dryRun()).isFalse();
		});
		assertThat(runs).anySatisfy((run) -> {
			assertThat(run.jobIds()).containsExactly("rl-a-old");
			assertThat(run.keep().lastCheckpoints()).isEqualTo(2);
		});
	}

	@Test
	void shouldUseTheDefaultPolicyForAPoolWithoutItsOwn() {
		assertThat(PROPERTIES.policyOf("h100")).isEqualTo(PROPERTIES.defaultPolicy());
		assertThat(PROPERTIES.policyOf(null)).isEqualTo(PROPERTIES.defaultPolicy());
		assertThat(PolicyRuns.plan(List.of(), PROPERTIES, NOW)).isEmpty();
	}

}
