package io.raylane.api.jobs;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import io.raylane.api.jobs.ResumeRules.Checkpoints;
import io.raylane.api.jobs.ResumeRules.Outcome;
import io.raylane.api.jobs.ResumeRules.Refuse;
import io.raylane.api.jobs.ResumeRules.Resume;
import io.raylane.topics.job.DataSpec;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.job.ModelSpec;
import io.raylane.topics.job.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which earlier job a {@code resume_from} may continue, and from which step (issue 13
 * item 4): alice resumes her own jobs, never bob's (answered as unknown), an admin
 * resumes anyone's.
 */
class ResumeRulesTest {

	static final String MODEL = "/shared/common/models/qwen";

	/** Checkpoints of a job that saved steps 10, 20, 30 and is at 30. */
	static final Checkpoints SAVED_30 = new Checkpoints(30, Set.of(10, 20, 30));

	static final Map<String, JobView> VIEWS = Map.ofEntries(
			Map.entry("a-timed-out", ended("a-timed-out", "alice", JobStatus.TIMED_OUT, "ppo", MODEL)),
			Map.entry("a-failed", ended("a-failed", "alice", JobStatus.FAILED, "ppo", MODEL)),
			Map.entry("a-stopped", ended("a-stopped", "alice", JobStatus.STOPPED, "ppo", MODEL)),
			Map.entry("a-running", ended("a-running", "alice", JobStatus.RUNNING, "ppo", MODEL)),
			Map.entry("a-queued", ended("a-queued", "alice", JobStatus.QUEUED, "ppo", MODEL)),
			Map.entry("a-succeeded", ended("a-succeeded", "alice", JobStatus.SUCCEEDED, "ppo", MODEL)),
			Map.entry("a-rejected", ended("a-rejected", "alice", JobStatus.REJECTED, "ppo", MODEL)),
			Map.entry("a-grpo", ended("a-grpo", "alice", JobStatus.STOPPED, "grpo", MODEL)),
			Map.entry("a-other-model",
					ended("a-other-model", "alice", JobStatus.STOPPED, "ppo", "/shared/common/models/llama")),
			Map.entry("a-no-checkpoint", ended("a-no-checkpoint", "alice", JobStatus.FAILED, "ppo", MODEL)),
			Map.entry("a-half-written", ended("a-half-written", "alice", JobStatus.FAILED, "ppo", MODEL)),
			Map.entry("a-tracker-gone", ended("a-tracker-gone", "alice", JobStatus.FAILED, "ppo", MODEL)),
			Map.entry("a-many-steps", ended("a-many-steps", "alice", JobStatus.STOPPED, "ppo", MODEL)),
			Map.entry("a-past-tracker", ended("a-past-tracker", "alice", JobStatus.STOPPED, "ppo", MODEL)),
			Map.entry("b-stopped", ended("b-stopped", "bob", JobStatus.STOPPED, "ppo", MODEL)));

	/** What each job directory holds; any other: {@link #SAVED_30}. */
	static final Map<String, Checkpoints> DISK = Map.of("/shared/jobs/a-many-steps/checkpoints",
			new Checkpoints(40, Set.of(10, 20, 30, 40)), "/shared/jobs/a-past-tracker/checkpoints",
			new Checkpoints(30, Set.of(10, 20, 30, 40)), "/shared/jobs/a-no-checkpoint/checkpoints",
			new Checkpoints(null, Set.of()), "/shared/jobs/a-half-written/checkpoints",
			new Checkpoints(null, Set.of(10)), "/shared/jobs/a-tracker-gone/checkpoints",
			new Checkpoints(20, Set.of(10)));

	static Stream<Arguments> resumes() {
		return Stream.of(
				Arguments.of("her timed-out run, at its latest step", "alice", false, spec("a-timed-out", null),
						"resume from step 30"),
				Arguments.of("her failed run", "alice", false, spec("a-failed", null), "resume from step 30"),
				Arguments.of("her stopped (or drained) run", "alice", false, spec("a-stopped", null),
						"resume from step 30"),
				Arguments.of("an earlier complete step she names", "alice", false, spec("a-stopped", 20),
						"resume from step 20"),
				Arguments.of("bob's run", "alice", false, spec("b-stopped", null),
						"400 resume_from: no job b-stopped to resume from"),
				Arguments.of("a run nobody has", "alice", false, spec("x-1", null),
						"400 resume_from: no job x-1 to resume from"),
				Arguments.of("bob's run, as an admin", "root", true, spec("b-stopped", null), "resume from step 30"),
				Arguments.of("a running run", "alice", false, spec("a-running", null),
						"409 resume_from: job a-running is still RUNNING"),
				Arguments.of("a queued run", "alice", false, spec("a-queued", null),
						"409 resume_from: job a-queued is still QUEUED"),
				Arguments.of("a run that finished", "alice", false, spec("a-succeeded", null),
						"409 resume_from: job a-succeeded ended SUCCEEDED: it finished its training"),
				Arguments.of("a run that never ran", "alice", false, spec("a-rejected", null),
						"409 resume_from: job a-rejected ended REJECTED: it never ran"),
				Arguments.of("another workload", "alice", false, spec("a-grpo", null),
						"400 resume_from: job a-grpo ran workload 'grpo' and this spec is 'ppo'"),
				Arguments.of("another model", "alice", false, spec("a-other-model", null),
						"400 resume_from: job a-other-model trained model '/shared/common/models/llama'"),
				Arguments.of("no checkpoint at all", "alice", false, spec("a-no-checkpoint", null),
						"409 resume_from: job a-no-checkpoint has no checkpoint to resume from: "
								+ "/shared/jobs/a-no-checkpoint/checkpoints holds no global_step_* folder"),
				Arguments.of("a folder but no tracker (half written)", "alice", false, spec("a-half-written", null),
						"409 resume_from: job a-half-written has no checkpoint to resume from: "
								+ "/shared/jobs/a-half-written/checkpoints holds global_step_* folders [10] but no complete one"),
				Arguments.of("a tracker naming a folder that is gone", "alice", false, spec("a-tracker-gone", null),
						"409 resume_from: job a-tracker-gone has no checkpoint"),
				Arguments.of("a step that was never saved", "alice", false, spec("a-stopped", 25),
						"409 resume_step: job a-stopped has no complete checkpoint at step 25 that retention keeps: "
								+ "its steps to resume from are [10, 20, 30]"),
				Arguments.of("a step retention is about to delete (keep_last 3)", "alice", false,
						spec("a-many-steps", 10),
						"409 resume_step: job a-many-steps has no complete checkpoint at step 10 that retention keeps: "
								+ "its steps to resume from are [20, 30, 40]"),
				Arguments.of("a step past the tracker (maybe half written)", "alice", false, spec("a-past-tracker", 40),
						"409 resume_step: job a-past-tracker has no complete checkpoint at step 40"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void resumes(String scenario, String caller, boolean admin, JobSpec spec, String want) {
		Outcome outcome = ResumeRules.decide(spec, caller, admin, Optional.ofNullable(VIEWS.get(spec.resumeFrom())),
				read(SAVED_30));

		assertThat(describe(outcome)).startsWith(want);
	}

	@Test
	void shouldPassASpecThatResumesNothingUnchangedWithoutReadingAnything() {
		JobSpec plain = spec(null, null);

		Outcome outcome = ResumeRules.decide(plain, "alice", false, Optional.empty(), (p) -> {
			throw new AssertionError("read " + p);
		});

		assertThat(outcome).isEqualTo(new Resume(plain));
	}

	@Test
	void shouldNotReadTheDiskOfAJobTheCallerMayNotSee() {
		Outcome outcome = ResumeRules.decide(spec("b-stopped", null), "alice", false,
				Optional.of(VIEWS.get("b-stopped")), (p) -> {
					throw new AssertionError("read " + p);
				});

		assertThat(outcome).isInstanceOf(Refuse.class);
	}

	@Test
	void shouldFillInTheStepAndKeepTheRestOfTheSpec() {
		JobSpec spec = spec("a-timed-out", null);

		Resume resume = (Resume) ResumeRules.decide(spec, "alice", false, Optional.of(VIEWS.get("a-timed-out")),
				read(SAVED_30));

		assertThat(resume.spec()).isEqualTo(spec.withResumeStep(30));
	}

	private static Function<Path, Checkpoints> read(Checkpoints otherwise) {
		return (folder) -> DISK.getOrDefault(folder.toString(), otherwise);
	}

	private static String describe(Outcome outcome) {
		if (outcome instanceof Refuse refuse) {
			return (refuse.conflict() ? "409 " : "400 ") + refuse.field() + ": " + refuse.detail();
		}
		return "resume from step " + ((Resume) outcome).spec().resumeStep();
	}

	private static JobSpec spec(String resumeFrom, Integer step) {
		return spec("ppo", MODEL, resumeFrom, step);
	}

	private static JobSpec spec(String workload, String model, String resumeFrom, Integer step) {
		return new JobSpec("run", workload, null, "default", Resources.of(1, 1), null, Map.of(), null, null,
				new ModelSpec(model), new DataSpec(List.of("/shared/common/datasets/t.parquet"), null), null, null,
				null, null, null, null, resumeFrom, step);
	}

	private static JobView ended(String id, String user, JobStatus status, String workload, String model) {
		return JobView.builder()
			.jobId(id)
			.user(user)
			.status(status)
			.workload(workload)
			.jobDir("/shared/jobs/" + id)
			.spec(spec(workload, model, null, null))
			.build();
	}

}
