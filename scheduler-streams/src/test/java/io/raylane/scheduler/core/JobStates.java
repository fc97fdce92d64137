package io.raylane.scheduler.core;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.raylane.topics.Jobs;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.StopOnRay;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.job.WaitReason;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test fixture of the per-event rules' tables: job rl-1 (alice, 1 node × 4 GPUs, timeout
 * 10m, from {@link Jobs#aJob}) brought to each status through {@link JobViews}, and the
 * {@link Want} a case expects.
 */
final class JobStates {

	/** When rl-1 was accepted, queued and dispatched. */
	static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	/** When the event under test happens. */
	static final Instant NOW = Instant.parse("2026-01-01T01:00:00Z");

	/** Ray's start of rl-1, when it runs. */
	static final Instant STARTED = T0.plusSeconds(30);

	/**
	 * 1h queued-time limit, 2 min stop grace, default submit retries (10 min; 5 s
	 * doubling to 2 min).
	 */
	static final JobLimits LIMITS = new JobLimits(null, null, Duration.ofHours(1), Duration.ofMinutes(2), null);

	static final JobEventRules RULES = new JobEventRules(LIMITS, Path.of("/shared"));

	private JobStates() {
	}

	static JobState queued() {
		JobView accepted = JobViews.accepted(Jobs.aJob("rl-1").gang(1, 4).timeout("10m").submit(), "/shared/jobs/rl-1",
				T0);
		return JobState.of(JobViews.queued(accepted, null, T0));
	}

	static JobState dispatched() {
		return JobState.of(JobViews.dispatched(queued().view(), List.of("n1"), T0));
	}

	/** SUBMITTED as Ray's first PENDING report leaves it (with the driver's node). */
	static JobState submitted() {
		return JobState.of(JobViews.observed(dispatched().view(), ray("PENDING"), null, T0).orElseThrow());
	}

	static JobState running() {
		return JobState.of(JobViews.observed(submitted().view(), ray("RUNNING"), null, T0).orElseThrow());
	}

	/** rl-1 ended with {@code status} (REJECTED from the queue, the others on Ray). */
	static JobState ended(JobStatus status) {
		if (status == JobStatus.REJECTED) {
			return JobState.of(JobViews.rejected(queued().view(), "too large", T0));
		}
		if (status == JobStatus.TIMED_OUT) {
			return JobState.of(JobViews.timedOut(running().view(), "timed out after PT10M", T0));
		}
		return JobState.of(JobViews.observed(running().view(), ray(status.name()), null, T0).orElseThrow());
	}

	/**
	 * rl-1 DISPATCHED after {@code failures} retryable submit failures, resubmitted at
	 * {@code at} (null: sent).
	 */
	static JobState awaitingResubmit(int failures, Instant since, Instant at) {
		JobState state = dispatched().withResubmit(new JobState.Resubmit(failures, since, at));
		if (at == null) {
			return state;
		}
		WaitReason why = Reasons.rayUnavailable("Ray unavailable after 5 attempts", at);
		return state.withView(state.view().toBuilder().reason(why.detail()).reasons(List.of(why)).build());
	}

	/**
	 * Ray's report of rl-1 with {@code status}, started at {@link #STARTED}, ended at NOW
	 * when terminal.
	 */
	static JobObserved ray(String status) {
		boolean ended = !status.equals("RUNNING") && !status.equals("PENDING");
		return new JobObserved(1, "rl-1", "default", status, "127.0.0.7", STARTED.toEpochMilli(),
				ended ? NOW.toEpochMilli() : null, null, ended ? "Ray says " + status : null, null, NOW);
	}

	static StopOnRay stopOnRay(String reason) {
		return new StopOnRay("rl-1", "default", reason);
	}

	static Want want(JobStatus status) {
		return new Want(false, status, null, true, null, List.of(), false, false, false);
	}

	/** The rule changes nothing. */
	static Want wantNothing() {
		return new Want(true, null, null, false, null, List.of(), false, false, false);
	}

	/**
	 * What a case expects of the {@link JobStep}: the job's status and reason, whether
	 * the view is published, its timer, the stops sent, whether it is submitted again,
	 * whether its GPUs come back, whether the pool plans.
	 */
	record Want(boolean nothing, JobStatus status, String reason, boolean publish, JobStep.Timer timer,
			List<StopOnRay> stops, boolean resubmit, boolean release, boolean plan) {

		Want reason(String next) {
			return new Want(this.nothing, this.status, next, this.publish, this.timer, this.stops, this.resubmit,
					this.release, this.plan);
		}

		Want timer(JobTimer kind, Instant at) {
			return new Want(this.nothing, this.status, this.reason, this.publish, JobStep.Timer.of(kind, at),
					this.stops, this.resubmit, this.release, this.plan);
		}

		Want clearsTimer() {
			return new Want(this.nothing, this.status, this.reason, this.publish, JobStep.Timer.CLEAR, this.stops,
					this.resubmit, this.release, this.plan);
		}

		Want stops(StopOnRay... commands) {
			return new Want(this.nothing, this.status, this.reason, this.publish, this.timer, List.of(commands),
					this.resubmit, this.release, this.plan);
		}

		/** Stored but not published, and the SubmitToRay is sent again. */
		Want resubmits() {
			return new Want(this.nothing, this.status, this.reason, false, this.timer, this.stops, true, this.release,
					this.plan);
		}

		/** The GPUs come back and the pool plans. */
		Want releases() {
			return new Want(this.nothing, this.status, this.reason, this.publish, this.timer, this.stops, this.resubmit,
					true, true);
		}

		Want plans() {
			return new Want(this.nothing, this.status, this.reason, this.publish, this.timer, this.stops, this.resubmit,
					this.release, true);
		}

		void check(JobStep step) {
			if (this.nothing) {
				assertThat(step.next()).as("next state").isNull();
				assertThat(step.stops()).as("stops").isEmpty();
				assertThat(step.resubmit() || step.releases() || step.plan()).as("other effects").isFalse();
				return;
			}
			assertThat(step.next()).as("next state").isNotNull();
			assertThat(step.next().view().status()).as("status").isEqualTo(this.status);
			assertThat(step.next().view().reason()).as("reason").isEqualTo(this.reason);
			assertThat(step.publish()).as("published").isEqualTo(this.publish);
			assertThat(step.timer()).as("timer").isEqualTo(this.timer);
			assertThat(step.stops()).as("stops").isEqualTo(this.stops);
			assertThat(step.resubmit()).as("submitted again").isEqualTo(this.resubmit);
			assertThat(step.releases()).as("GPUs released").isEqualTo(this.release);
			assertThat(step.plan()).as("pool plans").isEqualTo(this.plan);
		}

	}

}
