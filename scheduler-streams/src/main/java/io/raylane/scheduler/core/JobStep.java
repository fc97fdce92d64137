package io.raylane.scheduler.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.raylane.topics.events.StopOnRay;

/**
 * What one event does to one job ({@link JobEventRules}), for the topology to apply: the
 * job's next state to store (and publish on {@code raylane.job-states}), its timer, the
 * stops to send on {@code raylane.dispatch}, whether its submission is sent again,
 * whether its GPUs come back and whether the pool plans again. The queue index follows
 * the status (it holds exactly the QUEUED jobs), so it is not named here.
 *
 * @param next the job's next state, or null when the event changes nothing
 * @param publish whether {@code next.view()} is published (false: only what the scheduler
 * keeps changed)
 * @param timer the job's timer from now on: null to leave it, {@link Timer#CLEAR} to
 * remove it; a {@link JobTimer#RUN} timer also moves the release time of the job's GPUs
 * (backfill counts on it)
 * @param stops StopOnRay commands to send
 * @param resubmit whether the job's SubmitToRay is sent again (composed where its nodes'
 * addresses are known)
 * @param releases whether the job's GPUs go back to its nodes and its usage is uncounted
 * @param plan whether the pool runs a scheduling cycle (a job joined or left the queue,
 * or GPUs came back)
 * @param note why nothing changed, for the log; or null
 */
public record JobStep(JobState next, boolean publish, Timer timer, List<StopOnRay> stops, boolean resubmit,
		boolean releases, boolean plan, String note) {

	/** Nothing changes. */
	public static final JobStep NONE = new JobStep(null, false, null, List.of(), false, false, false, null);

	public JobStep {
		stops = List.copyOf(stops);
	}

	/** Nothing changes, for the reason {@code note}. */
	static JobStep none(String note) {
		return new JobStep(null, false, null, List.of(), false, false, false, note);
	}

	/** The job becomes {@code next}, published. */
	static JobStep to(JobState next) {
		return new JobStep(next, true, null, List.of(), false, false, false, null);
	}

	/** Only what the scheduler keeps changes; the published view stays. */
	static JobStep keep(JobState next) {
		return new JobStep(next, false, null, List.of(), false, false, false, null);
	}

	JobStep timer(JobTimer kind, Instant at) {
		return new JobStep(this.next, this.publish, new Timer(kind, at), this.stops, this.resubmit, this.releases,
				this.plan, this.note);
	}

	JobStep clearTimer() {
		return new JobStep(this.next, this.publish, Timer.CLEAR, this.stops, this.resubmit, this.releases, this.plan,
				this.note);
	}

	JobStep stop(StopOnRay command) {
		List<StopOnRay> more = new ArrayList<>(this.stops);
		more.add(command);
		return new JobStep(this.next, this.publish, this.timer, more, this.resubmit, this.releases, this.plan,
				this.note);
	}

	JobStep resubmitting() {
		return new JobStep(this.next, this.publish, this.timer, this.stops, true, this.releases, this.plan, this.note);
	}

	/** The GPUs come back, and the pool plans again to hand them on. */
	JobStep releasing() {
		return new JobStep(this.next, this.publish, this.timer, this.stops, this.resubmit, true, true, this.note);
	}

	JobStep planning() {
		return new JobStep(this.next, this.publish, this.timer, this.stops, this.resubmit, this.releases, true,
				this.note);
	}

	/**
	 * A timer to set, or {@link #CLEAR}.
	 *
	 * @param kind what the timer does when it fires; null for {@link #CLEAR}
	 * @param at when it fires
	 */
	public record Timer(JobTimer kind, Instant at) {

		public static final Timer CLEAR = new Timer(null, null);

		public static Timer of(JobTimer kind, Instant at) {
			return new Timer(kind, at);
		}

	}

}
