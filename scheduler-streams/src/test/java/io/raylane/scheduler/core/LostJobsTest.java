package io.raylane.scheduler.core;

import java.time.Instant;
import java.util.stream.Stream;

import io.raylane.topics.events.JobLost;
import io.raylane.topics.job.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.raylane.scheduler.core.JobStates.NOW;
import static io.raylane.scheduler.core.JobStates.RULES;
import static io.raylane.scheduler.core.JobStates.T0;
import static io.raylane.scheduler.core.JobStates.awaitingResubmit;
import static io.raylane.scheduler.core.JobStates.dispatched;
import static io.raylane.scheduler.core.JobStates.ended;
import static io.raylane.scheduler.core.JobStates.queued;
import static io.raylane.scheduler.core.JobStates.running;
import static io.raylane.scheduler.core.JobStates.stopOnRay;
import static io.raylane.scheduler.core.JobStates.submitted;
import static io.raylane.scheduler.core.JobStates.want;
import static io.raylane.scheduler.core.JobStates.wantNothing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * JobLost settled (issue 11 item 4): a job Ray accepted and no longer knows ends with the
 * reason {@code ray_lost_job} and gives its GPUs back; it is never submitted again. Jobs
 * that never reached Ray are not Ray's to lose.
 */
class LostJobsTest {

	private static final Instant MISSING_SINCE = NOW.minusSeconds(60);

	private static final JobLost LOST = new JobLost("rl-1", "default", "RUNNING", MISSING_SINCE, NOW);

	private static final String REASON = "ray_lost_job: Ray no longer knows this job (head restarted?); "
			+ "absent from Ray's job list since 2026-01-01T00:59:00Z";

	static Stream<Arguments> lost() {
		JobState running = running();
		JobState timedOut = running.withView(JobViews.waiting(running.view(), Reasons.timedOut("PT10M"), T0))
			.timedOut(T0);
		return Stream.of(
				arguments("a running job Ray lost fails, gives its GPUs back and is stopped on Ray in case", running,
						want(JobStatus.FAILED).reason(REASON).clearsTimer().stops(stopOnRay("lost")).releases()),
				arguments("a submitted job (PENDING on Ray) Ray lost fails the same way: it may have started",
						submitted(),
						want(JobStatus.FAILED).reason(REASON).clearsTimer().stops(stopOnRay("lost")).releases()),
				arguments("a job someone asked to stop ends STOPPED, saying Ray lost it",
						running.withStopRequestedBy("bob"),
						want(JobStatus.STOPPED).reason("stopped by bob; " + REASON)
							.clearsTimer()
							.stops(stopOnRay("lost"))
							.releases()),
				arguments("a timed-out job whose stop Ray never confirmed ends TIMED_OUT", timedOut,
						want(JobStatus.TIMED_OUT).reason("timed out after PT10M; " + REASON)
							.clearsTimer()
							.stops(stopOnRay("lost"))
							.releases()),
				arguments("a dispatched job is not Ray's to lose: its submission's answer decides", dispatched(),
						wantNothing()),
				arguments("a job waiting to be submitted again (ray_unavailable) keeps waiting",
						awaitingResubmit(2, NOW.minusSeconds(30), NOW.plusSeconds(20)), wantNothing()),
				arguments("a queued job changes nothing", queued(), wantNothing()),
				arguments("an ended job changes nothing (a late report)", ended(JobStatus.SUCCEEDED), wantNothing()),
				arguments("a failed job changes nothing (a repeated report)", ended(JobStatus.FAILED), wantNothing()),
				arguments("an unknown job changes nothing", null, wantNothing()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void lost(String scenario, JobState current, JobStates.Want want) {
		want.check(RULES.apply(LOST, current, NOW));
	}

	@Test
	void shouldNeverSubmitALostJobAgain() {
		JobStep step = RULES.apply(LOST, running(), NOW);

		assertThat(step.resubmit()).isFalse();
		assertThat(step.next().view().status().isTerminal()).isTrue();
		assertThat(step.next().view().endedAt()).isEqualTo(NOW);
		assertThat(step.next().view().nodes()).isEmpty();
	}

}
