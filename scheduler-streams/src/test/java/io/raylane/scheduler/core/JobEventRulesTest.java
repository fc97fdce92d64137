package io.raylane.scheduler.core;

import java.time.Duration;
import java.util.stream.Stream;

import io.raylane.topics.Jobs;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.StopDelivered;
import io.raylane.topics.events.StopJob;
import io.raylane.topics.events.SubmitJob;
import io.raylane.topics.events.Submitted;
import io.raylane.topics.job.Failure;
import io.raylane.topics.job.JobIds;
import io.raylane.topics.job.JobStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static io.raylane.scheduler.core.JobStates.NOW;
import static io.raylane.scheduler.core.JobStates.RULES;
import static io.raylane.scheduler.core.JobStates.STARTED;
import static io.raylane.scheduler.core.JobStates.T0;
import static io.raylane.scheduler.core.JobStates.awaitingResubmit;
import static io.raylane.scheduler.core.JobStates.dispatched;
import static io.raylane.scheduler.core.JobStates.ended;
import static io.raylane.scheduler.core.JobStates.queued;
import static io.raylane.scheduler.core.JobStates.ray;
import static io.raylane.scheduler.core.JobStates.running;
import static io.raylane.scheduler.core.JobStates.stopOnRay;
import static io.raylane.scheduler.core.JobStates.submitted;
import static io.raylane.scheduler.core.JobStates.want;
import static io.raylane.scheduler.core.JobStates.wantNothing;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * What a job command, a Ray observation or a submit result does to one job (submit
 * failures: SubmitRetriesTest).
 */
class JobEventRulesTest {

	private static final StopJob STOP = new StopJob("rl-1", "default", "bob", "user", NOW);

	static Stream<Arguments> submit() {
		SubmitJob rl1 = Jobs.aJob("rl-1").gang(1, 4).submit();
		PoolSnapshot fourGpus = PoolSnapshot.of("default", PoolNode.online("n1", 4, 0));
		return Stream.of(
				arguments("a valid job is queued, planned at once and may wait an hour", rl1, null, fourGpus,
						want(JobStatus.QUEUED).plans().timer(JobTimer.QUEUED, T0.plus(Duration.ofHours(1)))),
				arguments("a job larger than any node of its pool is rejected", Jobs.aJob("rl-1").gang(1, 8).submit(),
						null, fourGpus,
						want(JobStatus.REJECTED)
							.reason("needs 1 node with 8 free GPUs; pool 'default' has 0 nodes with at least 8 GPUs")),
				arguments("a job in an empty pool is queued (nodes may join)", rl1, null, PoolSnapshot.of("default"),
						want(JobStatus.QUEUED).plans().timer(JobTimer.QUEUED, T0.plus(Duration.ofHours(1)))),
				arguments("an invalid spec is rejected naming the field", Jobs.aJob("rl-1").command(" ").submit(), null,
						fourGpus,
						want(JobStatus.REJECTED).reason("invalid JobSpec: command is required for workload 'command'")),
				arguments("an id that could escape the jobs directory is rejected", Jobs.aJob("../x").submit(), null,
						fourGpus, want(JobStatus.REJECTED).reason(JobIds.problem("../x"))),
				arguments("a repeated SubmitJob changes nothing", rl1, queued(), null, wantNothing()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void submit(String scenario, SubmitJob command, JobState current, PoolSnapshot pool, JobStates.Want want) {
		want.check(RULES.submit(command, current, pool, NOW));
	}

	static Stream<Arguments> apply() {
		JobObserved diagnosed = new JobObserved(1, "rl-1", "default", "FAILED", null, null, null, 1, null, null, NOW,
				new Failure("oom", java.util.List.of("CUDA out of memory"), "smaller batch"), null);
		JobState stopAsked = running().withStopRequestedBy("bob");
		JobState timedOut = running().timedOut(NOW.minusSeconds(30));
		return Stream.of(
				// StopJob
				arguments("a stop of a queued job ends it STOPPED and lets the queue move", queued(), STOP,
						want(JobStatus.STOPPED).reason("stopped by bob").clearsTimer().plans()),
				arguments("a stop with a reason (a drain deadline) names who and why", running(),
						new StopJob("rl-1", "default", "scheduler", "the drain deadline of node n1 passed", NOW),
						want(JobStatus.RUNNING)
							.reason("stop requested by scheduler: the drain deadline of node n1 passed")
							.stops(stopOnRay("user"))),
				arguments("a stop of a dispatched job asks Ray to stop it", dispatched(), STOP,
						want(JobStatus.DISPATCHED).reason("stop requested by bob").stops(stopOnRay("user"))),
				arguments("a stop of a submitted job asks Ray to stop it", submitted(), STOP,
						want(JobStatus.SUBMITTED).reason("stop requested by bob").stops(stopOnRay("user"))),
				arguments("a stop of a running job asks Ray to stop it", running(), STOP,
						want(JobStatus.RUNNING).reason("stop requested by bob").stops(stopOnRay("user"))),
				arguments(
						"a stop of a job waiting to be submitted again ends it and frees its GPUs, stopping it on Ray"
								+ " in case a lost answer hid a submission",
						awaitingResubmit(1, NOW, NOW.plusSeconds(5)), STOP,
						want(JobStatus.STOPPED).reason("stopped by bob")
							.clearsTimer()
							.stops(stopOnRay("user"))
							.releases()),
				arguments("a stop of an unknown job changes nothing", null, STOP, wantNothing()),
				// Submitted
				arguments("Ray accepting a dispatched job makes it SUBMITTED", dispatched(),
						new Submitted("rl-1", "default", false, NOW), want(JobStatus.SUBMITTED)),
				arguments(
						"Ray accepting a job waiting to be submitted again (an earlier answer was lost) makes it"
								+ " SUBMITTED with its deadline back",
						awaitingResubmit(1, NOW, NOW.plusSeconds(5)), new Submitted("rl-1", "default", true, NOW),
						want(JobStatus.SUBMITTED).timer(JobTimer.RUN, NOW.plus(Duration.ofMinutes(10)))),
				arguments("a late Submitted of a running job changes nothing", running(),
						new Submitted("rl-1", "default", false, NOW), wantNothing()),
				arguments("a Submitted of an unknown job changes nothing", null,
						new Submitted("rl-1", "default", false, NOW), wantNothing()),
				// JobObserved, per Ray status
				arguments("PENDING of a dispatched job means Ray has it: SUBMITTED", dispatched(), ray("PENDING"),
						want(JobStatus.SUBMITTED)),
				arguments("PENDING of a submitted job changes nothing", submitted(), ray("PENDING"), wantNothing()),
				arguments("PENDING of a job waiting to be submitted again makes it SUBMITTED with its deadline back",
						awaitingResubmit(2, NOW, NOW.plusSeconds(10)), ray("PENDING"),
						want(JobStatus.SUBMITTED).timer(JobTimer.RUN, NOW.plus(Duration.ofMinutes(10)))),
				arguments("RUNNING of a submitted job starts its timeout at Ray's start", submitted(), ray("RUNNING"),
						want(JobStatus.RUNNING).timer(JobTimer.RUN, STARTED.plus(Duration.ofMinutes(10)))),
				arguments("RUNNING of a dispatched job (Submitted not seen yet) starts its timeout at Ray's start",
						dispatched(), ray("RUNNING"),
						want(JobStatus.RUNNING).timer(JobTimer.RUN, STARTED.plus(Duration.ofMinutes(10)))),
				arguments("RUNNING of a job waiting to be submitted again drops the retry for the timeout",
						awaitingResubmit(1, NOW, NOW.plusSeconds(5)), ray("RUNNING"),
						want(JobStatus.RUNNING).timer(JobTimer.RUN, STARTED.plus(Duration.ofMinutes(10)))),
				arguments("RUNNING of a running job changes nothing", running(), ray("RUNNING"), wantNothing()),
				arguments("SUCCEEDED ends the job and frees its GPUs", running(), ray("SUCCEEDED"),
						want(JobStatus.SUCCEEDED).reason("Ray says SUCCEEDED").clearsTimer().releases()),
				arguments("FAILED ends the job with Ray's message and frees its GPUs", submitted(), ray("FAILED"),
						want(JobStatus.FAILED).reason("Ray says FAILED").clearsTimer().releases()),
				arguments("STOPPED after a user's stop names who stopped it", stopAsked, ray("STOPPED"),
						want(JobStatus.STOPPED).reason("stopped by bob").clearsTimer().releases()),
				arguments("STOPPED after the timeout's stop is TIMED_OUT", timedOut, ray("STOPPED"),
						want(JobStatus.TIMED_OUT).reason("timed out after PT10M").clearsTimer().releases()),
				arguments("a failure diagnosis after FAILED is added without freeing the GPUs a second time",
						ended(JobStatus.FAILED), diagnosed,
						want(JobStatus.FAILED).reason("Ray says FAILED").clearsTimer()),
				arguments("a status Ray may add later changes nothing", running(), ray("RESTARTING"), wantNothing()),
				arguments("an observation of a queued job changes nothing (Ray cannot know it)", queued(),
						ray("RUNNING"), wantNothing()),
				arguments("an observation never revives an ended job", ended(JobStatus.SUCCEEDED), ray("RUNNING"),
						wantNothing()),
				arguments("an observation of a job Raylane does not know changes nothing", null, ray("RUNNING"),
						wantNothing()),
				// StopDelivered
				arguments("a delivered stop changes nothing: Ray's STOPPED ends the job", stopAsked,
						new StopDelivered("rl-1", "default", true, "user", NOW), wantNothing()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void apply(String scenario, JobState current, Object event, JobStates.Want want) {
		want.check(RULES.apply(event, current, NOW));
	}

	@ParameterizedTest(name = "a stop of a job that ended {0} changes nothing")
	@EnumSource(value = JobStatus.class, names = { "SUCCEEDED", "FAILED", "STOPPED", "TIMED_OUT", "REJECTED" })
	void stopOfAnEndedJob(JobStatus status) {
		wantNothing().check(RULES.apply(STOP, ended(status), NOW));
	}

}
