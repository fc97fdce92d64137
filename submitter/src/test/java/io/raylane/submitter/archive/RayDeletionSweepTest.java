package io.raylane.submitter.archive;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.raylane.submitter.jobdir.JobDirectories;
import io.raylane.topics.TestClock;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sweep's rounds against a Ray that counts its calls; the clock is moved by hand and
 * each round is run by the test, as the service's scheduled executor would every 5 s.
 */
class RayDeletionSweepTest {

	static final Instant T0 = Instant.parse("2026-12-03T21:00:00Z");

	final TestClock clock = new TestClock(T0);

	final CountingRay ray = new CountingRay();

	final RayDeletionSweep sweep = new RayDeletionSweep(this.ray, this.clock);

	@TempDir
	Path root;

	void later(long seconds) {
		this.clock.advance(Duration.ofSeconds(seconds));
	}

	@Test
	void shouldNotCallRayWhileNoDeletionIsWatched() {
		this.sweep.run();
		this.sweep.run();

		assertThat(this.ray.total()).isZero();
	}

	@Test
	void shouldDeleteAgainAJobRayBroughtBackThenStopWatchingIt() {
		this.sweep.deleted("j1");
		later(3);
		this.ray.jobs.add("j1"); // Ray's job monitor writes its late FAILED status
		later(2);
		this.sweep.run();

		assertThat(this.ray.jobs).isEmpty();
		assertThat(this.ray.calls("delete")).isOne();
		// watched anew from the second delete (at +5 s) until a round 30 s after it
		for (int round = 0; round < 6; round++) {
			later(5);
			this.sweep.run();
		}
		assertThat(this.sweep.watched()).isZero();
		this.sweep.run();
		assertThat(this.ray.calls).containsExactly(java.util.Map.entry("list", 7), java.util.Map.entry("delete", 1));
	}

	@Test
	void shouldLeaveAloneJobsItDidNotDelete() {
		this.ray.jobs.add("running");
		this.sweep.deleted("j1");
		later(5);
		this.sweep.run();

		assertThat(this.ray.jobs).containsExactly("running");
		assertThat(this.ray.calls("delete")).isZero();
	}

	@Test
	void shouldListAgainAtTheNextRoundWhenTheListFailed() {
		this.sweep.deleted("j1");
		this.ray.jobs.add("j1");
		this.ray.listFails = true;
		later(35);
		this.sweep.run(); // logged, never thrown

		assertThat(this.sweep.watched()).isOne();
		this.ray.listFails = false;
		later(5);
		this.sweep.run();
		assertThat(this.ray.jobs).isEmpty();
	}

	@Test
	void shouldTryAFailedDeleteAgainAtTheNextRound() {
		this.sweep.deleted("j1");
		this.ray.jobs.add("j1");
		this.ray.deleteFails = true;
		later(30);
		this.sweep.run();

		assertThat(this.sweep.watched()).isOne();
		this.ray.deleteFails = false;
		later(5);
		this.sweep.run();
		assertThat(this.ray.jobs).isEmpty();
		assertThat(this.ray.calls("delete")).isEqualTo(2);
	}

	/**
	 * What the archive costs Ray (issue 17, goal 3): 1,500 jobs end at 150/s for 10 s and
	 * are archived as they end, rounds every 5 s until nothing is watched. Each job costs
	 * one log read and one DELETE; the rechecks cost 8 list calls in all (one per round
	 * while deletions are watched), where the per-job rechecks cost 2 DELETEs per job
	 * (3,000). One job that Ray brings back costs one more DELETE.
	 */
	@Test
	void shouldCostRayOneListPerRoundInsteadOfTwoDeletesPerJob() {
		LogArchiver archiver = new LogArchiver(this.ray, new JobDirectories(this.root, "http://127.0.0.1:8265"),
				this.sweep::deleted);
		int perSecond = 150;
		int seconds = 10;
		int rounds = 0;
		for (int second = 1; second <= seconds + 60 && (second <= seconds || this.sweep.watched() > 0); second++) {
			if (second <= seconds) {
				for (int i = 0; i < perSecond; i++) {
					String id = "j" + second + "-" + i;
					this.ray.jobs.add(id);
					assertThat(archiver.attempt(ended(id))).isInstanceOf(LogArchiver.Attempt.Archived.class);
				}
			}
			if (second == 3) {
				this.ray.jobs.add("j1-0"); // brought back by Ray's job monitor
			}
			later(1);
			if (second % 5 == 0) {
				this.sweep.run();
				rounds++;
			}
		}
		int jobs = perSecond * seconds;

		assertThat(this.ray.jobs).isEmpty();
		assertThat(this.ray.calls("logs")).isEqualTo(jobs);
		assertThat(this.ray.calls("delete")).isEqualTo(jobs + 1);
		assertThat(this.ray.calls("list")).isEqualTo(rounds).isEqualTo(8);
		// before: 1 log read + 3 DELETEs per job (+0: the rechecks were unconditional)
		assertThat(this.ray.total()).isEqualTo(2 * jobs + 1 + 8).isLessThan(4 * jobs);
	}

	static JobView ended(String id) {
		return JobView.builder()
			.jobId(id)
			.pool("default")
			.status(JobStatus.SUCCEEDED)
			.dispatchedAt(Instant.EPOCH)
			.build();
	}

}
