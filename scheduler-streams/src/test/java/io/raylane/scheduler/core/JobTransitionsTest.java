package io.raylane.scheduler.core;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

import io.raylane.topics.job.JobStatus;
import org.junit.jupiter.api.Test;

import static io.raylane.topics.job.JobStatus.ACCEPTED;
import static io.raylane.topics.job.JobStatus.DISPATCHED;
import static io.raylane.topics.job.JobStatus.FAILED;
import static io.raylane.topics.job.JobStatus.QUEUED;
import static io.raylane.topics.job.JobStatus.REJECTED;
import static io.raylane.topics.job.JobStatus.RUNNING;
import static io.raylane.topics.job.JobStatus.STOPPED;
import static io.raylane.topics.job.JobStatus.SUBMITTED;
import static io.raylane.topics.job.JobStatus.SUCCEEDED;
import static io.raylane.topics.job.JobStatus.TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobTransitionsTest {

	@Test
	void shouldQueueOrRejectAnAcceptedJob() {
		assertThat(allowedFrom(ACCEPTED)).containsExactlyInAnyOrder(QUEUED, REJECTED);
	}

	@Test
	void shouldDispatchStopOrRejectAQueuedJob() {
		assertThat(allowedFrom(QUEUED)).containsExactlyInAnyOrder(DISPATCHED, STOPPED, REJECTED);
	}

	@Test
	void shouldLetADispatchedJobBeSubmittedOrSeenOnRayInAnyState() {
		assertThat(allowedFrom(DISPATCHED)).containsExactlyInAnyOrder(SUBMITTED, RUNNING, SUCCEEDED, FAILED, STOPPED,
				TIMED_OUT);
	}

	@Test
	void shouldLetASubmittedJobRunOrEnd() {
		assertThat(allowedFrom(SUBMITTED)).containsExactlyInAnyOrder(RUNNING, SUCCEEDED, FAILED, STOPPED, TIMED_OUT);
	}

	@Test
	void shouldLetARunningJobOnlyEndButNeverBeRejected() {
		assertThat(allowedFrom(RUNNING)).containsExactlyInAnyOrder(SUCCEEDED, FAILED, STOPPED, TIMED_OUT);
	}

	@Test
	void shouldNeverLeaveSucceeded() {
		assertThat(allowedFrom(SUCCEEDED)).isEmpty();
	}

	@Test
	void shouldNeverLeaveFailed() {
		assertThat(allowedFrom(FAILED)).isEmpty();
	}

	@Test
	void shouldNeverLeaveStopped() {
		assertThat(allowedFrom(STOPPED)).isEmpty();
	}

	@Test
	void shouldNeverLeaveTimedOut() {
		assertThat(allowedFrom(TIMED_OUT)).isEmpty();
	}

	@Test
	void shouldNeverLeaveRejected() {
		assertThat(allowedFrom(REJECTED)).isEmpty();
	}

	@Test
	void shouldRefuseAForbiddenChangeNamingTheJob() {
		assertThatThrownBy(() -> JobTransitions.require("rl-1", SUCCEEDED, RUNNING))
			.isInstanceOf(IllegalStateException.class)
			.hasMessage("job rl-1 cannot go from SUCCEEDED to RUNNING");
	}

	private static Set<JobStatus> allowedFrom(JobStatus from) {
		return Arrays.stream(JobStatus.values())
			.filter((to) -> JobTransitions.isAllowed(from, to))
			.collect(Collectors.toCollection(() -> EnumSet.noneOf(JobStatus.class)));
	}

}
