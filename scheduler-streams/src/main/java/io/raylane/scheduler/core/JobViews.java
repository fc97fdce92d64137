package io.raylane.scheduler.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.raylane.rayclient.wire.RayContract;
import io.raylane.topics.events.JobObserved;
import io.raylane.topics.events.SubmitJob;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;

/**
 * The scheduler's changes to a JobView, as pure functions: each returns the next view,
 * stamped {@code updatedAt = now}, and every status change is checked by
 * {@link JobTransitions}. The topology stores and publishes what these return on
 * {@code raylane.job-states}.
 */
public final class JobViews {

	private JobViews() {
	}

	/**
	 * The view of a SubmitJob the scheduler has just read (ACCEPTED; it is queued or
	 * rejected next).
	 */
	public static JobView accepted(SubmitJob command, String jobDir, Instant now) {
		JobSpec spec = command.spec().withDefaults();
		Instant acceptedAt = (command.acceptedAt() != null) ? command.acceptedAt() : now;
		return JobView.builder()
			.jobId(command.jobId())
			.name(spec.name())
			.user(command.user())
			.workload(spec.workload())
			.pool(spec.pool())
			.status(JobStatus.ACCEPTED)
			.resources(spec.resources())
			.submittedAt(acceptedAt)
			.jobDir(jobDir)
			.spec(spec)
			.updatedAt(now)
			.build();
	}

	public static JobView queued(JobView view, String reason, Instant now) {
		return move(view, JobStatus.QUEUED, now).reason(reason).build();
	}

	/** A waiting job's reason changed (status stays QUEUED). */
	public static JobView waiting(JobView view, String reason, Instant now) {
		return view.toBuilder().reason(reason).updatedAt(now).build();
	}

	/**
	 * A job behind the planner's window: it waits for the jobs ahead (its reasons come
	 * once in view).
	 */
	public static JobView behind(JobView view, String headJobId, Instant now) {
		return view.toBuilder()
			.reason(Reasons.waitingBehind(headJobId))
			.reasons(List.of(Reasons.fifo(headJobId)))
			.updatedAt(now)
			.build();
	}

	/**
	 * A waiting job's position, reasons and estimated start, as the planner decided them.
	 */
	public static JobView waiting(JobView view, Decision decision, Instant now) {
		return view.toBuilder()
			.reason(decision.reason())
			.reasons(decision.reasons())
			.position(decision.position())
			.estimatedStart(decision.estimatedStart())
			.updatedAt(now)
			.build();
	}

	/**
	 * Whether {@code waiting}, made by {@link #waiting(JobView, Decision, Instant)} from
	 * {@code view}, says nothing new but its position: the same reason, reasons and
	 * estimated start. It compares the three fields {@code waiting} sets instead of two
	 * whole views (issue 17: the window's views were copied and compared field by field
	 * on every event).
	 */
	public static boolean sameWaitExceptPosition(JobView view, JobView waiting) {
		return Objects.equals(view.reason(), waiting.reason()) && Objects.equals(view.reasons(), waiting.reasons())
				&& Objects.equals(view.estimatedStart(), waiting.estimatedStart());
	}

	/**
	 * A job stopped for its timeout ({@code reason} says whether Ray confirmed the stop).
	 */
	public static JobView timedOut(JobView view, String reason, Instant now) {
		return end(view, JobStatus.TIMED_OUT, reason, now).build();
	}

	public static JobView rejected(JobView view, String reason, Instant now) {
		return end(view, JobStatus.REJECTED, reason, now).build();
	}

	public static JobView dispatched(JobView view, List<String> nodes, Instant now) {
		return move(view, JobStatus.DISPATCHED, now).reason(null)
			.reasons(null)
			.position(null)
			.estimatedStart(null)
			.dispatchedAt(now)
			.nodes(nodes)
			.build();
	}

	public static JobView submitted(JobView view, Instant now) {
		return move(view, JobStatus.SUBMITTED, now).build();
	}

	public static JobView stopped(JobView view, String reason, Instant now) {
		return end(view, JobStatus.STOPPED, reason, now).build();
	}

	public static JobView failed(JobView view, String reason, Instant now) {
		return end(view, JobStatus.FAILED, reason, now).build();
	}

	/**
	 * A stop was asked for a job on Ray; the status changes when Ray reports it STOPPED.
	 */
	public static JobView stopRequested(JobView view, String by, Instant now) {
		return view.toBuilder().reason("stop requested by " + by).updatedAt(now).build();
	}

	/**
	 * Applies what Ray reports of a job that holds GPUs (DISPATCHED, SUBMITTED or
	 * RUNNING).
	 * @param stopRequestedBy who asked to stop the job, if anyone did (names the STOPPED
	 * reason)
	 * @return the next view, or empty when the observation changes nothing or does not
	 * apply (a job Ray cannot know yet, a terminal job, an unknown Ray status)
	 */
	public static Optional<JobView> observed(JobView view, JobObserved observed, String stopRequestedBy, Instant now) {
		if (view.status() == JobStatus.FAILED && view.failure() == null && observed.failure() != null) {
			// the diagnosis may follow the FAILED status in a later observation
			return Optional.of(view.toBuilder().failure(observed.failure()).updatedAt(now).build());
		}
		if (!view.status().holdsResources()) {
			return Optional.empty();
		}
		JobView.Builder next;
		String ray = String.valueOf(observed.rayStatus());
		if (RayContract.STATUS_PENDING.equals(ray)) {
			// PENDING is Ray's "submitted, driver not started": a DISPATCHED job was
			// submitted after all
			next = (view.status() == JobStatus.DISPATCHED) ? move(view, JobStatus.SUBMITTED, now) : view.toBuilder();
		}
		else if (RayContract.STATUS_RUNNING.equals(ray)) {
			next = (view.status() != JobStatus.RUNNING) ? move(view, JobStatus.RUNNING, now) : view.toBuilder();
			next.startedAt(instant(observed.startTimeMs(), (view.startedAt() != null) ? view.startedAt() : now));
		}
		else if (RayContract.isTerminal(ray)) {
			JobStatus status = JobStatus.valueOf(ray);
			next = end(view, status, terminalReason(status, observed, stopRequestedBy),
					instant(observed.endTimeMs(), now));
			next.startedAt(instant(observed.startTimeMs(), view.startedAt())).exitCode(observed.exitCode());
		}
		else {
			return Optional.empty();
		}
		if (observed.driverNodeIp() != null) {
			next.driverNodeIp(observed.driverNodeIp());
		}
		if (observed.message() != null) {
			next.message(observed.message());
		}
		// the observer's reading of the driver log: why it failed, how far training got,
		// what a nccl_check measured
		if (observed.failure() != null) {
			next.failure(observed.failure());
		}
		if (observed.progress() != null) {
			next.progress(observed.progress());
		}
		if (observed.ncclBandwidth() != null) {
			next.ncclBandwidth(observed.ncclBandwidth());
		}
		// Ray's actual placement (issue 14 item 2), while the job holds GPUs; the
		// reservation (nodes) is what the node table releases, so it stays
		if (observed.placement() != null && next.build().status().holdsResources()) {
			next.placement(observed.placement());
		}
		JobView result = next.updatedAt(now).build();
		return sameExceptUpdatedAt(view, result) ? Optional.empty() : Optional.of(result);
	}

	/** Whether two views differ only in {@code updatedAt}: nothing to publish then. */
	public static boolean sameExceptUpdatedAt(JobView a, JobView b) {
		return a.toBuilder().updatedAt(null).build().equals(b.toBuilder().updatedAt(null).build());
	}

	private static String terminalReason(JobStatus status, JobObserved observed, String stopRequestedBy) {
		if (status == JobStatus.STOPPED && stopRequestedBy != null) {
			return "stopped by " + stopRequestedBy;
		}
		return (observed.message() != null && !observed.message().isBlank()) ? observed.message()
				: "Ray reports the job " + status;
	}

	/**
	 * A terminal view: the job holds no node any more, and it ended at {@code endedAt}.
	 */
	private static JobView.Builder end(JobView view, JobStatus status, String reason, Instant endedAt) {
		return move(view, status, endedAt).reason(reason)
			.reasons(null)
			.position(null)
			.estimatedStart(null)
			.endedAt(endedAt)
			.nodes(List.of())
			.placement(null);
	}

	private static JobView.Builder move(JobView view, JobStatus to, Instant now) {
		JobTransitions.require(view.jobId(), view.status(), to);
		return view.toBuilder().status(to).updatedAt(now);
	}

	private static Instant instant(Long epochMillis, Instant otherwise) {
		return (epochMillis != null && epochMillis > 0) ? Instant.ofEpochMilli(epochMillis) : otherwise;
	}

}
