package io.raylane.submitter.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raylane.topics.job.CheckpointSpec;
import io.raylane.topics.job.DataSpec;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.job.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The submitter's retention honours resume pins (issue 13 item 4): a step a queued job
 * resumes from survives the sweep of the earlier job until the resuming job ends. The
 * plan's table is jobspec's {@code RetentionPlanTest}.
 */
class ResumePinSweepTest {

	@TempDir
	Path jobs;

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
