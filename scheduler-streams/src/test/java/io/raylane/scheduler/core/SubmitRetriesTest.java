package io.raylane.scheduler.core;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import io.raylane.topics.events.SubmitFailed;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.WaitReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.raylane.scheduler.core.JobStates.LIMITS;
import static io.raylane.scheduler.core.JobStates.NOW;
import static io.raylane.scheduler.core.JobStates.RULES;
import static io.raylane.scheduler.core.JobStates.awaitingResubmit;
import static io.raylane.scheduler.core.JobStates.dispatched;
import static io.raylane.scheduler.core.JobStates.ended;
import static io.raylane.scheduler.core.JobStates.queued;
import static io.raylane.scheduler.core.JobStates.running;
import static io.raylane.scheduler.core.JobStates.submitted;
import static io.raylane.scheduler.core.JobStates.want;
import static io.raylane.scheduler.core.JobStates.wantNothing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * SubmitFailed.retryable settled: a transient failure is submitted again with a back-off,
 * for a bounded period.
 */
class SubmitRetriesTest {

	private static final String UNAVAILABLE = "Ray unavailable after 5 attempts: Connection refused";

	private static final SubmitFailed TRANSIENT = new SubmitFailed("rl-1", "default", true, UNAVAILABLE, NOW);

	private static final SubmitFailed REFUSED = new SubmitFailed("rl-1", "default", false, "HTTP 400: bad", NOW);

	static Stream<Arguments> submitFailed() {
		Instant inFiveSeconds = NOW.plusSeconds(5);
		return Stream.of(
				arguments("a refusal fails the job and frees its GPUs", dispatched(), REFUSED,
						want(JobStatus.FAILED).reason("submit failed: HTTP 400: bad").clearsTimer().releases()),
				arguments("a first transient failure keeps the reservation and submits again in 5 s", dispatched(),
						TRANSIENT,
						want(JobStatus.DISPATCHED).reason(waiting(inFiveSeconds)).timer(JobTimer.RETRY, inFiveSeconds)),
				arguments("the third transient failure waits 20 s", awaitingResubmit(2, NOW.minusSeconds(30), null),
						TRANSIENT,
						want(JobStatus.DISPATCHED).reason(waiting(NOW.plusSeconds(20)))
							.timer(JobTimer.RETRY, NOW.plusSeconds(20))),
				arguments("the back-off stops doubling at 2 minutes", awaitingResubmit(6, NOW.minusSeconds(300), null),
						TRANSIENT,
						want(JobStatus.DISPATCHED).reason(waiting(NOW.plusSeconds(120)))
							.timer(JobTimer.RETRY, NOW.plusSeconds(120))),
				arguments("the last resubmission is due when the period ends",
						awaitingResubmit(7, NOW.minus(Duration.ofMinutes(9)), null), TRANSIENT,
						want(JobStatus.DISPATCHED).reason(waiting(NOW.plusSeconds(60)))
							.timer(JobTimer.RETRY, NOW.plusSeconds(60))),
				arguments("a transient failure after the 10-minute period fails the job, saying so",
						awaitingResubmit(8, NOW.minus(Duration.ofMinutes(10)), null), TRANSIENT,
						want(JobStatus.FAILED)
							.reason("submit failed: " + UNAVAILABLE
									+ " (9 failures in PT10M, raylane.scheduler.submit-retry-period)")
							.clearsTimer()
							.releases()),
				arguments("a refusal after transient failures fails the job with the refusal",
						awaitingResubmit(2, NOW.minusSeconds(30), null), REFUSED,
						want(JobStatus.FAILED).reason("submit failed: HTTP 400: bad").clearsTimer().releases()),
				arguments("a transient failure of a job someone asked to stop fails it (nobody wants it resubmitted)",
						dispatched().withStopRequestedBy("bob"), TRANSIENT,
						want(JobStatus.FAILED).reason("submit failed: " + UNAVAILABLE).clearsTimer().releases()),
				arguments("a transient failure of a timed-out job fails it", dispatched().timedOut(NOW.minusSeconds(9)),
						TRANSIENT,
						want(JobStatus.FAILED).reason("submit failed: " + UNAVAILABLE).clearsTimer().releases()),
				arguments("a repeated report of the failure already being retried changes nothing",
						awaitingResubmit(1, NOW.minusSeconds(1), inFiveSeconds), TRANSIENT, wantNothing()),
				arguments("a failure report of a job Ray reported changes nothing", submitted(), REFUSED,
						wantNothing()),
				arguments("a failure report of a running job changes nothing", running(), TRANSIENT, wantNothing()),
				arguments("a failure report of a queued job changes nothing", queued(), REFUSED, wantNothing()),
				arguments("a failure report of an ended job changes nothing", ended(JobStatus.STOPPED), TRANSIENT,
						wantNothing()),
				arguments("a failure report of an unknown job changes nothing", null, TRANSIENT, wantNothing()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void submitFailed(String scenario, JobState current, SubmitFailed failed, JobStates.Want want) {
		want.check(RULES.apply(failed, current, NOW));
	}

	@Test
	void shouldPublishTheRayUnavailableReasonCodeAndCountTheFailureFromNow() {
		JobStep step = RULES.apply(TRANSIENT, dispatched(), NOW);

		assertThat(step.next().view().reasons()).extracting(WaitReason::code).containsExactly("ray_unavailable");
		assertThat(step.next().resubmit()).isEqualTo(new JobState.Resubmit(1, NOW, NOW.plusSeconds(5)));
	}

	@Test
	void shouldFailAtOnceWhenRetriesAreOff() {
		JobEventRules noRetries = new JobEventRules(
				new JobLimits(null, null, null, null, new SubmitRetryPolicy(Duration.ZERO, null, null)),
				java.nio.file.Path.of("/shared"));

		want(JobStatus.FAILED).reason("submit failed: " + UNAVAILABLE)
			.clearsTimer()
			.releases()
			.check(noRetries.apply(TRANSIENT, dispatched(), NOW));
	}

	static Stream<Arguments> backoff() {
		return Stream.of(arguments(1, Duration.ofSeconds(5)), arguments(2, Duration.ofSeconds(10)),
				arguments(3, Duration.ofSeconds(20)), arguments(4, Duration.ofSeconds(40)),
				arguments(5, Duration.ofSeconds(80)), arguments(6, Duration.ofMinutes(2)),
				arguments(7, Duration.ofMinutes(2)), arguments(40, Duration.ofMinutes(2)));
	}

	@ParameterizedTest(name = "after failure {0}: wait {1}")
	@MethodSource
	void backoff(int failures, Duration wantWait) {
		assertThat(LIMITS.submitRetry().backoff(failures)).isEqualTo(wantWait);
	}

	private static String waiting(Instant at) {
		return Reasons.rayUnavailable(UNAVAILABLE, at).detail();
	}

}
