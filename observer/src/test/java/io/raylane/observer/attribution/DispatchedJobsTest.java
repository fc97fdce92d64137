package io.raylane.observer.attribution;

import java.time.Duration;
import java.time.Instant;

import io.raylane.observer.Attributions;
import io.raylane.observer.attribution.DispatchedJobs.Dispatched;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the observer remembers of {@code raylane.job-states}, and for how long. */
class DispatchedJobsTest {

	static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	final DispatchedJobs jobs = new DispatchedJobs(Duration.ofDays(7));

	@Test
	void shouldKnowAJobOnlyOnceItWasDispatched() {
		JobView dispatched = Attributions.dispatchedView("rl-1", "alice", "default");

		this.jobs.apply(dispatched.toBuilder().status(JobStatus.QUEUED).dispatchedAt(null).build(), T0);
		assertThat(this.jobs.get("rl-1")).isEmpty();
		this.jobs.apply(dispatched, T0);

		assertThat(this.jobs.get("rl-1")).contains(new Dispatched("alice", "default", null));
	}

	@Test
	void shouldKeepAJobWhoseLaterViewNoLongerSaysDispatched() {
		JobView dispatched = Attributions.dispatchedView("rl-1", "alice", "default");
		this.jobs.apply(dispatched, T0);

		this.jobs.apply(dispatched.toBuilder().status(JobStatus.QUEUED).dispatchedAt(null).build(), T0);

		assertThat(this.jobs.get("rl-1")).isPresent();
	}

	@Test
	void shouldForgetAnEndedJobAfterItsMemoryAndATombstonedOneAtOnce() {
		JobView dispatched = Attributions.dispatchedView("rl-1", "alice", "default");
		this.jobs.apply(dispatched.toBuilder().status(JobStatus.SUCCEEDED).endedAt(T0).build(), T0);
		this.jobs.apply(Attributions.dispatchedView("rl-2", "bob", "default"), T0);
		this.jobs.apply(Attributions.dispatchedView("rl-3", "bob", "default"), T0);

		this.jobs.forgetEnded(T0.plus(Duration.ofDays(7)));
		assertThat(this.jobs.get("rl-1")).contains(new Dispatched("alice", "default", T0));
		// at most once a minute
		this.jobs.forgetEnded(T0.plus(Duration.ofDays(7)).plusSeconds(30));
		assertThat(this.jobs.get("rl-1")).isPresent();
		this.jobs.forgetEnded(T0.plus(Duration.ofDays(7)).plusSeconds(60));
		this.jobs.remove("rl-3");

		assertThat(this.jobs.get("rl-1")).isEmpty();
		assertThat(this.jobs.get("rl-2")).isPresent();
		assertThat(this.jobs.get("rl-3")).isEmpty();
		assertThat(this.jobs.size()).isEqualTo(1);
	}

	@Test
	void shouldNotRememberAJobThatEndedLongBeforeARestart() {
		JobView old = Attributions.dispatchedView("rl-1", "alice", "default")
			.toBuilder()
			.status(JobStatus.FAILED)
			.endedAt(T0)
			.build();

		this.jobs.apply(old, T0.plus(Duration.ofDays(8)));

		assertThat(this.jobs.size()).isZero();
	}

}
