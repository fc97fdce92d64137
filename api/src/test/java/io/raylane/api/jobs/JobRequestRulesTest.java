package io.raylane.api.jobs;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import io.raylane.api.jobs.JobRequestRules.Forward;
import io.raylane.api.jobs.JobRequestRules.Ignore;
import io.raylane.api.jobs.JobRequestRules.Outcome;
import io.raylane.api.jobs.JobRequestRules.Refuse;
import io.raylane.topics.Jobs;
import io.raylane.topics.events.JobCommand;
import io.raylane.topics.events.StopJob;
import io.raylane.topics.events.SubmitJob;
import io.raylane.topics.job.DataSpec;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.job.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A direct producer acts only as the user of its request topic (issue 12): what each
 * request read from {@code raylane.job-requests.bob} becomes.
 */
class JobRequestRulesTest {

	static final Instant ARRIVED = Instant.parse("2026-03-01T12:00:00Z");

	static final Instant OLD = Instant.parse("2020-01-01T00:00:00Z");

	/** Jobs the API knows: alice's running a-1, bob's queued b-1 and ended b-2. */
	static final Map<String, JobView> VIEWS = Map.of("a-1", view("a-1", "alice", "gpu", JobStatus.RUNNING), "b-1",
			view("b-1", "bob", "gpu", JobStatus.QUEUED), "b-2", view("b-2", "bob", "default", JobStatus.SUCCEEDED));

	static Stream<Arguments> requestsOnBobsTopic() {
		return Stream.of(
				Arguments.of("bob submits, naming himself", Jobs.aJob("b-9").user("bob").acceptedAt(OLD).submit(),
						"forward SubmitJob b-9 user=bob accepted_at=" + ARRIVED),
				Arguments.of("bob submits without naming a user", Jobs.aJob("b-9").user(null).acceptedAt(null).submit(),
						"forward SubmitJob b-9 user=bob accepted_at=" + ARRIVED),
				Arguments.of("bob submits as alice", Jobs.aJob("b-9").user("alice").submit(),
						"refuse: written to bob's request topic but names user 'alice'"),
				Arguments.of("bob submits with alice's job id", Jobs.aJob("a-1").user("bob").submit(),
						"refuse: job id a-1 is taken"),
				Arguments.of("bob submits his own job again", Jobs.aJob("b-1").user("bob").submit(),
						"forward SubmitJob b-1 user=bob accepted_at=" + ARRIVED),
				Arguments.of("bob submits without a job id", Jobs.aJob(null).user("bob").submit(),
						"refuse: SubmitJob without a job_id"),
				Arguments.of("bob stops his queued job, naming its pool wrongly",
						new StopJob("b-1", "elsewhere", "bob", null, OLD),
						"forward StopJob b-1 pool=gpu by=bob reason=user requested_at=" + ARRIVED),
				Arguments.of("bob stops his job without saying who he is",
						new StopJob("b-1", "gpu", null, "not needed", null),
						"forward StopJob b-1 pool=gpu by=bob reason=not needed requested_at=" + ARRIVED),
				Arguments.of("bob stops alice's job", new StopJob("a-1", "gpu", "bob", "user", ARRIVED),
						"refuse: no job a-1 of bob"),
				Arguments.of("bob stops alice's job as alice", new StopJob("a-1", "gpu", "alice", "user", ARRIVED),
						"refuse: written to bob's request topic but names by 'alice'"),
				Arguments.of("bob stops a job nobody has", new StopJob("x-1", "gpu", "bob", "user", ARRIVED),
						"refuse: no job x-1 of bob"),
				Arguments.of("bob stops his ended job", new StopJob("b-2", "default", "bob", "user", ARRIVED),
						"ignore: job already ended (SUCCEEDED)"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void requestsOnBobsTopic(String scenario, JobCommand request, String want) {
		Outcome outcome = JobRequestRules.decide("bob", request, ARRIVED, (id) -> Optional.ofNullable(VIEWS.get(id)),
				(id) -> "/shared/jobs/" + id);

		assertThat(describe(outcome)).startsWith(want);
	}

	@Test
	void shouldShowAForwardedSubmissionUntilTheSchedulersSnapshotArrives() {
		Forward forward = (Forward) JobRequestRules.decide("bob", Jobs.aJob("b-9").user("bob").gang(1, 2).submit(),
				ARRIVED, (id) -> Optional.empty(), (id) -> "/shared/jobs/" + id);

		assertThat(forward.placeholder().status()).isEqualTo(JobStatus.ACCEPTED);
		assertThat(forward.placeholder().user()).isEqualTo("bob");
		assertThat(forward.placeholder().submittedAt()).isEqualTo(ARRIVED);
		assertThat(forward.placeholder().jobDir()).isEqualTo("/shared/jobs/b-9");
		assertThat(forward.placeholder().resources().gpusPerNode()).isEqualTo(2);
		// a job the API already shows keeps its view
		assertThat(((Forward) JobRequestRules.decide("bob", Jobs.aJob("b-1").user("bob").submit(), ARRIVED,
				(id) -> Optional.ofNullable(VIEWS.get(id)), (id) -> "/shared/jobs/" + id))
			.placeholder()).isNull();
	}

	@Test
	void shouldCheckAResumeAsThePostDoesAndFillInItsStep() {
		JobView earlier = JobView.builder()
			.jobId("b-2")
			.user("bob")
			.status(JobStatus.STOPPED)
			.jobDir("/shared/jobs/b-2")
			.spec(resuming(null))
			.build();
		Map<String, JobView> views = Map.of("b-2", earlier, "a-1",
				earlier.toBuilder().jobId("a-1").user("alice").build());
		Function<Path, ResumeRules.Checkpoints> disk = (p) -> new ResumeRules.Checkpoints(7, Set.of(6, 7));

		Outcome own = JobRequestRules.resumed("bob", forward(resuming("b-2")),
				(id) -> Optional.ofNullable(views.get(id)), disk);
		Outcome alices = JobRequestRules.resumed("bob", forward(resuming("a-1")),
				(id) -> Optional.ofNullable(views.get(id)), disk);

		assertThat(((SubmitJob) ((Forward) own).command()).spec().resumeStep()).isEqualTo(7);
		assertThat(((Forward) own).placeholder().spec().resumeStep()).isEqualTo(7);
		assertThat(describe(alices)).isEqualTo("refuse: resume_from: no job a-1 to resume from");
	}

	private static Forward forward(JobSpec spec) {
		SubmitJob submit = new SubmitJob("b-9", "bob", spec, ARRIVED);
		return new Forward(submit, JobRequestRules.placeholder(submit, "/shared/jobs/b-9"));
	}

	private static JobSpec resuming(String earlier) {
		return new JobSpec("p", "ppo", null, "default", null, null, Map.of(), null, null,
				new ModelSpec("/shared/common/models/m"),
				new DataSpec(List.of("/shared/common/datasets/t.parquet"), null), null, null, null, null, null, null,
				earlier, null);
	}

	private static String describe(Outcome outcome) {
		if (outcome instanceof Refuse refuse) {
			return "refuse: " + refuse.reason();
		}
		if (outcome instanceof Ignore ignore) {
			return "ignore: " + ignore.reason();
		}
		JobCommand command = ((Forward) outcome).command();
		if (command instanceof SubmitJob submit) {
			return "forward SubmitJob " + submit.jobId() + " user=" + submit.user() + " accepted_at="
					+ submit.acceptedAt();
		}
		StopJob stop = (StopJob) command;
		return "forward StopJob " + stop.jobId() + " pool=" + stop.pool() + " by=" + stop.by() + " reason="
				+ stop.reason() + " requested_at=" + stop.requestedAt();
	}

	private static JobView view(String id, String user, String pool, JobStatus status) {
		return JobView.builder().jobId(id).user(user).pool(pool).status(status).build();
	}

}
