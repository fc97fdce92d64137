package io.raylane.api.jobs;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

import io.raylane.topics.events.JobCommand;
import io.raylane.topics.events.StopJob;
import io.raylane.topics.events.SubmitJob;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;

/**
 * What a direct producer's command becomes (issue 12): plain decisions over the record,
 * the user its request topic belongs to, the time the broker appended it, and the job
 * view; {@link JobRequestIntake} does the I/O. Only Kafka's ACLs tie a producer to its
 * topic ({@code raylane.job-requests.<user>}, writable by that user's principal alone),
 * so the topic says who is asking, whatever the record claims:
 * <ul>
 * <li>a SubmitJob is forwarded for the topic's user, accepted at the broker's append time
 * (never the producer's {@code accepted_at}, which would let it jump the queue);</li>
 * <li>a StopJob is forwarded only for a job of that user, in the job's own pool, as the
 * API's stop would be;</li>
 * <li>a record naming another user, or a job id another user holds, is refused.</li>
 * </ul>
 * The JobSpec itself is judged by the scheduler, as every SubmitJob is: an invalid one
 * ends REJECTED with its reason, which its owner sees in {@code GET /v1/jobs/{id}}.
 */
final class JobRequestRules {

	private JobRequestRules() {
	}

	/** What to do with one request. */
	sealed interface Outcome permits Forward, Ignore, Refuse {

	}

	/**
	 * Write {@code command} to {@code raylane.job-commands}; show {@code placeholder}
	 * (when not null) until the scheduler's snapshot arrives.
	 */
	record Forward(JobCommand command, JobView placeholder) implements Outcome {
	}

	/** Nothing to do (a stop of a job that already ended), said in the audit. */
	record Ignore(String reason) implements Outcome {
	}

	/** Not acted on: the record goes to the dead letters with the reason. */
	record Refuse(String reason) implements Outcome {
	}

	/**
	 * @param user the user whose request topic the record was read from
	 * @param request the record's command
	 * @param arrivedAt when the broker appended the record
	 * @param views the API's job views by job id
	 * @param jobDirs the job directory of a job id (for the placeholder)
	 */
	static Outcome decide(String user, JobCommand request, Instant arrivedAt, Function<String, Optional<JobView>> views,
			Function<String, String> jobDirs) {
		if (request.jobId() == null || request.jobId().isBlank()) {
			return new Refuse(type(request) + " without a job_id");
		}
		Optional<JobView> known = views.apply(request.jobId());
		if (request instanceof SubmitJob submit) {
			return submit(user, submit, arrivedAt, known, jobDirs);
		}
		return stop(user, (StopJob) request, arrivedAt, known);
	}

	private static Outcome submit(String user, SubmitJob submit, Instant arrivedAt, Optional<JobView> known,
			Function<String, String> jobDirs) {
		if (submit.user() != null && !submit.user().equals(user)) {
			return new Refuse(impersonation(user, "user", submit.user()));
		}
		if (known.isPresent() && !user.equals(known.get().user())) {
			return new Refuse("job id " + submit.jobId() + " is taken; choose another");
		}
		JobSpec spec = (submit.spec() != null) ? submit.spec().withDefaults() : null;
		SubmitJob command = new SubmitJob(submit.jobId(), user, spec, arrivedAt);
		return new Forward(command,
				(spec != null && known.isEmpty()) ? placeholder(command, jobDirs.apply(submit.jobId())) : null);
	}

	/**
	 * Issue 13: a forwarded submission that resumes an earlier job passes the same
	 * {@link ResumeRules} as the API's POST (as the topic's user, never an admin) and
	 * goes on with its step filled in; otherwise it is refused with the reason.
	 * @param read the checkpoints of a job directory
	 */
	static Outcome resumed(String user, Outcome outcome, Function<String, Optional<JobView>> views,
			Function<Path, ResumeRules.Checkpoints> read) {
		if (!(outcome instanceof Forward forward) || !(forward.command() instanceof SubmitJob submit)
				|| submit.spec() == null || submit.spec().resumeFrom() == null) {
			return outcome;
		}
		ResumeRules.Outcome resume = ResumeRules.decide(submit.spec(), user, false,
				views.apply(submit.spec().resumeFrom()), read);
		if (resume instanceof ResumeRules.Refuse refuse) {
			return new Refuse(refuse.field() + ": " + refuse.detail());
		}
		SubmitJob command = new SubmitJob(submit.jobId(), user, ((ResumeRules.Resume) resume).spec(),
				submit.acceptedAt());
		return new Forward(command,
				(forward.placeholder() != null) ? placeholder(command, forward.placeholder().jobDir()) : null);
	}

	private static Outcome stop(String user, StopJob stop, Instant arrivedAt, Optional<JobView> known) {
		if (stop.by() != null && !stop.by().equals(user)) {
			return new Refuse(impersonation(user, "by", stop.by()));
		}
		// another user's job is refused exactly like a missing one (the API's 404): ids
		// reveal nothing
		if (known.isEmpty() || !user.equals(known.get().user())) {
			return new Refuse("no job " + stop.jobId() + " of " + user);
		}
		JobView view = known.get();
		if (view.status() != null && view.status().isTerminal()) {
			return new Ignore("job already ended (" + view.status() + "); nothing to stop");
		}
		String reason = (stop.reason() != null && !stop.reason().isBlank()) ? stop.reason() : "user";
		return new Forward(new StopJob(stop.jobId(), view.pool(), user, reason, arrivedAt), null);
	}

	/** The view the API shows until the scheduler's snapshot arrives (as for a POST). */
	static JobView placeholder(SubmitJob command, String jobDir) {
		JobSpec spec = command.spec();
		return JobView.builder()
			.jobId(command.jobId())
			.name(spec.name())
			.user(command.user())
			.workload(spec.workload())
			.pool(spec.pool())
			.status(JobStatus.ACCEPTED)
			.resources(spec.resources())
			.submittedAt(command.acceptedAt())
			.jobDir(jobDir)
			.spec(spec)
			.updatedAt(command.acceptedAt())
			.build();
	}

	private static String impersonation(String user, String field, String claimed) {
		return "written to " + user + "'s request topic but names " + field + " '" + claimed
				+ "': a producer acts only as the user of its topic";
	}

	static String type(JobCommand command) {
		return command.getClass().getSimpleName();
	}

}
