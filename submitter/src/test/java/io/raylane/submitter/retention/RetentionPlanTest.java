package io.raylane.submitter.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raylane.topics.job.CheckpointSpec;
import io.raylane.topics.job.DataSpec;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.job.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which step folders retention deletes: the newest {@code keep_last}, the tracked step
 * and every step a queued or running job resumes from survive (issue 13 item 4).
 */
class RetentionPlanTest {

	@TempDir
	Path jobs;

	static Stream<Arguments> plans() {
		return Stream.of(Arguments.of("keeps the newest two", Set.of(10, 20, 30, 40), 2, 40, Set.of(), List.of(10, 20)),
				Arguments.of("keeps the tracked step too", Set.of(10, 20, 30, 40, 50), 2, 20, Set.of(),
						List.of(10, 30)),
				Arguments.of("keeps a step a queued job resumes from", Set.of(10, 20, 30, 40), 1, 40, Set.of(20),
						List.of(10, 30)),
				Arguments.of("keeps the steps of several resuming jobs", Set.of(10, 20, 30, 40), 1, 40, Set.of(10, 30),
						List.of(20)),
				Arguments.of("a pin among the newest changes nothing", Set.of(10, 20, 30), 2, 30, Set.of(30),
						List.of(10)),
				Arguments.of("a pin on a step that is gone changes nothing", Set.of(10, 20, 30), 1, 30, Set.of(5),
						List.of(10, 20)),
				Arguments.of("without a tracker the pin still holds", Set.of(10, 20, 30), 1, null, Set.of(10),
						List.of(20)),
				Arguments.of("keep_last below 1 keeps one", Set.of(10, 20, 30), 0, null, Set.of(), List.of(10, 20)),
				Arguments.of("nothing to delete", Set.of(10, 20), 3, null, Set.of(20), List.of()));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void plans(String scenario, Set<Integer> steps, int keepLast, Integer latest, Set<Integer> pinned,
			List<Integer> wantDeleted) {
		assertThat(RetentionPlan.toDelete(steps, keepLast, latest, pinned)).isEqualTo(wantDeleted);
	}

	@Test
	void shouldKeepTheStepAQueuedJobResumesFromWhenTheEarlierJobIsSwept() throws IOException {
		RetentionSweeps sweeps = new RetentionSweeps(new CheckpointSweeper(), new SimpleMeterRegistry());
		Path checkpoints = this.jobs.resolve("early/checkpoints");
		for (int step : List.of(1, 2, 3)) {
			Files.createDirectories(checkpoints.resolve("global_step_" + step));
		}
		Files.writeString(checkpoints.resolve("latest_checkpointed_iteration.txt"), "3");
		JobView resumer = view("later", JobStatus.QUEUED, "early", 1);

		sweeps.onJobState(resumer);
		sweeps.onJobState(view("early", JobStatus.STOPPED, null, null));

		assertThat(checkpoints.resolve("global_step_1")).as("pinned by the queued job").isDirectory();
		assertThat(checkpoints.resolve("global_step_2")).doesNotExist();
		assertThat(checkpoints.resolve("global_step_3")).as("the tracked step").isDirectory();

		sweeps.onJobState(resumer.toBuilder().status(JobStatus.SUCCEEDED).build());
		sweeps.onJobState(view("early", JobStatus.STOPPED, null, null));

		assertThat(checkpoints.resolve("global_step_1")).as("unpinned once the resuming job ended").doesNotExist();
	}

	private JobView view(String id, JobStatus status, String resumeFrom, Integer step) {
		JobSpec spec = new JobSpec("p", "ppo", null, null, null, null, null, null, null, new ModelSpec("/m"),
				new DataSpec(List.of("/d"), null), null, new CheckpointSpec(1, 1), null, null, null, null, resumeFrom,
				step);
		return JobView.builder()
			.jobId(id)
			.status(status)
			.jobDir(this.jobs.resolve(id).toString())
			.dispatchedAt(Instant.EPOCH)
			.spec(spec)
			.build();
	}

}
