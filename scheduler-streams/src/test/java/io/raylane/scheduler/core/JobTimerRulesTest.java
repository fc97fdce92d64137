package io.raylane.scheduler.core;

import java.time.Duration;
import java.util.stream.Stream;

import io.raylane.topics.job.JobStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.raylane.scheduler.core.JobStates.NOW;
import static io.raylane.scheduler.core.JobStates.RULES;
import static io.raylane.scheduler.core.JobStates.awaitingResubmit;
import static io.raylane.scheduler.core.JobStates.dispatched;
import static io.raylane.scheduler.core.JobStates.ended;
import static io.raylane.scheduler.core.JobStates.queued;
import static io.raylane.scheduler.core.JobStates.running;
import static io.raylane.scheduler.core.JobStates.stopOnRay;
import static io.raylane.scheduler.core.JobStates.submitted;
import static io.raylane.scheduler.core.JobStates.want;
import static io.raylane.scheduler.core.JobStates.wantNothing;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * What a job's due timer does to it: the queued-time limit, the timeout, the stop grace,
 * the resubmission.
 */
class JobTimerRulesTest {

	static Stream<Arguments> timerFired() {
		String timedOut = "timed out after PT10M";
		return Stream.of(
				arguments("a job queued past the limit is rejected and the queue moves", JobTimer.QUEUED, queued(),
						want(JobStatus.REJECTED).reason("queued longer than PT1H (raylane.scheduler.max-queued-time)")
							.clearsTimer()
							.plans()),
				arguments("the queued-time limit of a job that left the queue does nothing", JobTimer.QUEUED,
						dispatched(), wantNothing()),
				arguments("a running job past its deadline is asked to stop and gets the grace", JobTimer.RUN,
						running(),
						want(JobStatus.RUNNING).reason(timedOut)
							.timer(JobTimer.GRACE, NOW.plus(Duration.ofMinutes(2)))
							.stops(stopOnRay("timeout"))),
				arguments("a dispatched job Ray never reported, past its deadline, is asked to stop", JobTimer.RUN,
						dispatched(),
						want(JobStatus.DISPATCHED).reason(timedOut)
							.timer(JobTimer.GRACE, NOW.plus(Duration.ofMinutes(2)))
							.stops(stopOnRay("timeout"))),
				arguments("the deadline of an ended job does nothing", JobTimer.RUN, ended(JobStatus.SUCCEEDED),
						wantNothing()),
				arguments("a timed-out job whose stop Ray never confirmed ends TIMED_OUT and frees its GPUs",
						JobTimer.GRACE, running().timedOut(NOW.minusSeconds(120)),
						want(JobStatus.TIMED_OUT).reason(timedOut + "; Ray did not confirm the stop within PT2M")
							.clearsTimer()
							.releases()),
				arguments("the grace of a job that ended meanwhile does nothing", JobTimer.GRACE,
						ended(JobStatus.STOPPED), wantNothing()),
				arguments("a job waiting for its resubmission is submitted again with a fresh deadline", JobTimer.RETRY,
						awaitingResubmit(1, NOW.minusSeconds(5), NOW),
						want(JobStatus.DISPATCHED)
							.reason(Reasons.rayUnavailable("Ray unavailable after 5 attempts", NOW).detail())
							.timer(JobTimer.RUN, NOW.plus(Duration.ofMinutes(10)))
							.resubmits()),
				arguments("a resubmission of a job Ray took meanwhile does nothing", JobTimer.RETRY, submitted(),
						wantNothing()),
				arguments("a resubmission already sent is not sent twice", JobTimer.RETRY,
						awaitingResubmit(1, NOW.minusSeconds(5), null), wantNothing()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void timerFired(String scenario, JobTimer kind, JobState current, JobStates.Want want) {
		want.check(RULES.timerFired(kind, current, NOW));
	}

}
