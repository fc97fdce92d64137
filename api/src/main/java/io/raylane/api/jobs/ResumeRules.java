package io.raylane.api.jobs;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.job.Workload;

/**
 * Whether a JobSpec's {@code resume_from} may continue the earlier job it names (issue 13
 * item 4), and from which step. Pure: the earlier job comes from the job view, its
 * checkpoints from {@link ResumeCheckpoints} through {@code read}, which is called only
 * once every other rule passed. The rules, in order:
 * <ol>
 * <li>the earlier job exists and the caller may see it (its owner, or an admin; another
 * user's job is answered exactly like an unknown one, so ids reveal nothing);</li>
 * <li>it ended early: {@code TIMED_OUT}, {@code FAILED} or {@code STOPPED} (a drained
 * node's jobs end {@code STOPPED} at the drain deadline, or {@code FAILED} when Ray loses
 * the node); a job still queued or running, one that {@code SUCCEEDED} or was
 * {@code REJECTED} is refused with 409;</li>
 * <li>it ran the same workload on the same model path (400 otherwise);</li>
 * <li>it left a complete checkpoint: {@code latest_checkpointed_iteration.txt} names a
 * step whose {@code global_step_<N>/} folder is there (verl writes the tracker after the
 * folder, so a folder past it may be half written). {@code resume_step}, when given, must
 * be such a folder at or before the tracker's step that checkpoint retention keeps (the
 * tracker's step, or one of the newest {@code checkpoint.keep_last}); otherwise it is the
 * tracker's step.</li>
 * </ol>
 */
final class ResumeRules {

	/** The statuses of a run that ended before its training did. */
	static final Set<JobStatus> RESUMABLE = Set.of(JobStatus.TIMED_OUT, JobStatus.FAILED, JobStatus.STOPPED);

	/** {@code checkpoint.keep_last} when a spec has none (the submitter's default). */
	static final int DEFAULT_KEEP_LAST = 3;

	private ResumeRules() {
	}

	/** What one resume comes to. */
	sealed interface Outcome permits Resume, Refuse {

	}

	/** Submit {@code spec}: it resumes nothing, or its {@code resume_step} is filled. */
	record Resume(JobSpec spec) implements Outcome {
	}

	/**
	 * Refused: {@code conflict} (409) when the earlier job's state is in the way, else
	 * 400.
	 */
	record Refuse(boolean conflict, String field, String detail) implements Outcome {
	}

	/**
	 * What an earlier job's {@code checkpoints/} folder holds.
	 *
	 * @param latest the step in {@code latest_checkpointed_iteration.txt}, or null when
	 * it is missing or not a number
	 * @param steps the {@code global_step_<N>} folders present
	 */
	record Checkpoints(Integer latest, Set<Integer> steps) {

		Checkpoints {
			steps = Set.copyOf(steps);
		}

	}

	/**
	 * @param spec the valid spec being submitted (defaults filled in)
	 * @param caller who submits it
	 * @param admin whether the caller is an admin
	 * @param earlier the view of the job {@code resume_from} names, if any
	 * @param read the checkpoints of a job directory
	 */
	static Outcome decide(JobSpec spec, String caller, boolean admin, Optional<JobView> earlier,
			Function<Path, Checkpoints> read) {
		String id = spec.resumeFrom();
		if (id == null) {
			return new Resume(spec);
		}
		// 1. visible to the caller, or unknown
		if (earlier.isEmpty() || !(admin || caller.equals(earlier.get().user()))) {
			return new Refuse(false, "resume_from", "no job " + id + " to resume from");
		}
		JobView job = earlier.get();
		// 2. ended early
		JobStatus status = job.status();
		if (status == null || !status.isTerminal()) {
			return new Refuse(true, "resume_from", "job " + id + " is still " + status
					+ ": resume continues a run that ended; stop it first, or wait until it ends");
		}
		if (!RESUMABLE.contains(status)) {
			return new Refuse(true, "resume_from", "job " + id + " ended " + status + ((status == JobStatus.SUCCEEDED)
					? ": it finished its training; resume continues a run that ended early (TIMED_OUT, FAILED or STOPPED)"
					: ": it never ran, so it has no checkpoint"));
		}
		// 3. the same workload and model
		JobSpec before = job.spec();
		if (before == null || job.jobDir() == null) {
			return new Refuse(true, "resume_from", "job " + id + " has no recorded JobSpec or job directory");
		}
		String workload = Workload.parse(before.workload()).map(Workload::wireName).orElse(before.workload());
		if (!Objects.equals(workload,
				Workload.parse(spec.workload()).map(Workload::wireName).orElse(spec.workload()))) {
			return new Refuse(false, "resume_from", "job " + id + " ran workload '" + workload + "' and this spec is '"
					+ spec.workload() + "': a resume continues the same workload");
		}
		String model = modelPath(before);
		if (model == null || !model.equals(modelPath(spec))) {
			return new Refuse(false, "resume_from", "job " + id + " trained model '" + model + "' and this spec names '"
					+ modelPath(spec) + "': a resume continues the same model");
		}
		// 4. a complete checkpoint
		Path folder = Path.of(job.jobDir()).resolve("checkpoints");
		Checkpoints checkpoints = read.apply(folder);
		if (checkpoints.latest() == null || !checkpoints.steps().contains(checkpoints.latest())) {
			String found = checkpoints.steps().isEmpty() ? "no global_step_* folder"
					: "global_step_* folders " + new TreeSet<>(checkpoints.steps())
							+ " but no complete one named by latest_checkpointed_iteration.txt";
			return new Refuse(true, "resume_from", "job " + id + " has no checkpoint to resume from: " + folder
					+ " holds " + found + " (it ended before its first save; see checkpoint.save_freq)");
		}
		Integer step = spec.resumeStep();
		if (step == null) {
			return new Resume(spec.withResumeStep(checkpoints.latest()));
		}
		TreeSet<Integer> kept = kept(checkpoints, keepLast(before));
		if (!kept.contains(step)) {
			return new Refuse(true, "resume_step", "job " + id + " has no complete checkpoint at step " + step
					+ " that retention keeps: " + "its steps to resume from are " + kept);
		}
		return new Resume(spec);
	}

	/**
	 * The complete steps (at most the tracker's) that retention keeps: the tracker's and
	 * those among the newest {@code keepLast} folders (its end-of-job sweep may not have
	 * run yet when the resume is accepted; a step it keeps is then pinned for good).
	 */
	static TreeSet<Integer> kept(Checkpoints checkpoints, int keepLast) {
		TreeSet<Integer> all = new TreeSet<>(checkpoints.steps());
		TreeSet<Integer> kept = new TreeSet<>(all.descendingSet().stream().limit(Math.max(1, keepLast)).toList());
		kept.add(checkpoints.latest());
		kept.removeIf((step) -> step > checkpoints.latest() || !all.contains(step));
		return kept;
	}

	private static int keepLast(JobSpec spec) {
		Integer keep = (spec.checkpoint() != null) ? spec.checkpoint().keepLast() : null;
		return (keep != null && keep > 0) ? keep : DEFAULT_KEEP_LAST;
	}

	private static String modelPath(JobSpec spec) {
		if (spec.model() == null || spec.model().path() == null) {
			return null;
		}
		return Path.of(spec.model().path()).normalize().toString();
	}

}
