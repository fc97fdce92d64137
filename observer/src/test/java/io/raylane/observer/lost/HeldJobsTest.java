package io.raylane.observer.lost;

import java.time.Duration;

import io.raylane.topics.job.JobStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The view of what Raylane holds on Ray, from {@code raylane.job-states}: SUBMITTED and
 * RUNNING jobs only, up to the end offsets of the moment.
 */
class HeldJobsTest {

	static final Duration TIMEOUT = Duration.ofSeconds(1);

	final TestHeldJobs topic = new TestHeldJobs();

	final HeldJobs held = this.topic.reader();

	@Test
	void shouldHoldOnlySubmittedAndRunningJobs() {
		this.topic.publish("rl-1", JobStatus.DISPATCHED)
			.publish("rl-2", JobStatus.SUBMITTED)
			.publish("rl-3", JobStatus.RUNNING)
			.publish("rl-4", JobStatus.QUEUED);

		assertThat(this.held.readToEnd(TIMEOUT)).isTrue();

		assertThat(this.held.jobs()).containsExactlyInAnyOrder(new HeldJob("rl-2", "default", JobStatus.SUBMITTED),
				new HeldJob("rl-3", "default", JobStatus.RUNNING));
	}

	@Test
	void shouldLetGoOfJobsThatEndOrAreDeleted() {
		this.topic.publish("rl-1", JobStatus.RUNNING).publish("rl-2", JobStatus.RUNNING);
		this.held.readToEnd(TIMEOUT);
		this.topic.publish("rl-1", JobStatus.FAILED).append("rl-2", null);

		this.held.readToEnd(TIMEOUT);

		assertThat(this.held.jobs()).isEmpty();
	}

	@Test
	void shouldSkipAnUnreadableSnapshot() {
		this.topic.append("rl-1", "not json".getBytes()).publish("rl-2", JobStatus.RUNNING);

		assertThat(this.held.readToEnd(TIMEOUT)).isTrue();

		assertThat(this.held.jobs()).extracting(HeldJob::jobId).containsExactly("rl-2");
	}

	@Test
	void shouldNotClaimToBeUpToDateBeforeReachingTheEnd() {
		this.topic.publish("rl-1", JobStatus.RUNNING);
		this.topic.endMovesAhead();

		assertThat(this.held.readToEnd(Duration.ofMillis(300))).isFalse();
	}

}
