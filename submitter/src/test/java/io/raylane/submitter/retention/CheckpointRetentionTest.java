package io.raylane.submitter.retention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.raylane.jobspec.checkpoint.RetentionPlan;
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

class CheckpointRetentionTest {

	@TempDir
	Path jobDir;

	@Test
	void shouldKeepTheLastNStepsAndTheTrackedOne() {
		assertThat(RetentionPlan.toDelete(Set.of(10, 20, 30, 40, 50), 2, 20)).containsExactly(10, 30);
		assertThat(RetentionPlan.toDelete(Set.of(10, 20), 3, null)).isEmpty();
		assertThat(RetentionPlan.toDelete(Set.of(10, 20, 30), 0, null)).containsExactly(10, 20);
	}

	@Test
	void shouldDeleteOldStepFoldersAndReportTheBytesFreed() throws IOException {
		Path checkpoints = this.jobDir.resolve("checkpoints");
		for (int step : List.of(5, 10, 15, 20)) {
			Path actor = Files.createDirectories(checkpoints.resolve("global_step_" + step).resolve("actor"));
			Files.write(actor.resolve("model_world_size_1_rank_0.pt"), new byte[100]);
			Files.write(checkpoints.resolve("global_step_" + step).resolve("data.pt"), new byte[10]);
		}
		Files.writeString(checkpoints.resolve("latest_checkpointed_iteration.txt"), "5\n");
		Files.createDirectories(checkpoints.resolve("not_a_step"));

		SweepResult result = new CheckpointSweeper().sweep("j1", checkpoints, 2);

		assertThat(result.deleted()).containsExactly("global_step_10");
		assertThat(result.freedBytes()).isEqualTo(110);
		assertThat(checkpoints.resolve("global_step_5")).isDirectory();
		assertThat(checkpoints.resolve("global_step_10")).doesNotExist();
		assertThat(checkpoints.resolve("global_step_15")).isDirectory();
		assertThat(checkpoints.resolve("global_step_20")).isDirectory();
		assertThat(checkpoints.resolve("not_a_step")).isDirectory();
	}

	@Test
	void shouldNotFollowASymlinkOutOfTheCheckpoints() throws IOException {
		Path outside = Files.createDirectories(this.jobDir.resolve("precious"));
		Files.write(outside.resolve("keep.bin"), new byte[5]);
		Path checkpoints = Files.createDirectories(this.jobDir.resolve("checkpoints"));
		Path step1 = Files.createDirectories(checkpoints.resolve("global_step_1"));
		Files.createSymbolicLink(step1.resolve("link"), outside);
		Files.createDirectories(checkpoints.resolve("global_step_2"));

		SweepResult result = new CheckpointSweeper().sweep("j1", checkpoints, 1);

		assertThat(result.deleted()).containsExactly("global_step_1");
		assertThat(outside.resolve("keep.bin")).exists();
	}

	@Test
	void shouldSweepRunningVerlJobsPeriodicallyAndOnceMoreWhenTheyEnd() throws IOException {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		RetentionSweeps sweeps = new RetentionSweeps(new CheckpointSweeper(), meters);
		Path checkpoints = this.jobDir.resolve("checkpoints");
		step(checkpoints, 1);
		step(checkpoints, 2);
		JobView running = view(JobStatus.RUNNING);

		sweeps.onJobState(running);
		sweeps.sweepRunning();
		assertThat(checkpoints.resolve("global_step_1")).doesNotExist();
		step(checkpoints, 3);
		sweeps.onJobState(running.toBuilder().status(JobStatus.SUCCEEDED).build());

		assertThat(checkpoints.resolve("global_step_2")).doesNotExist();
		assertThat(checkpoints.resolve("global_step_3")).isDirectory();
		assertThat(sweeps.tracked()).isZero();
		assertThat(meters.get("raylane.checkpoint.folders.deleted").counter().count()).isEqualTo(2.0);
		assertThat(meters.get("raylane.checkpoint.freed.bytes").counter().count()).isEqualTo(14.0);
	}

	@Test
	void shouldLeaveCommandJobsAlone() throws IOException {
		RetentionSweeps sweeps = new RetentionSweeps(new CheckpointSweeper(), new SimpleMeterRegistry());
		step(this.jobDir.resolve("checkpoints"), 1);
		step(this.jobDir.resolve("checkpoints"), 2);

		sweeps.onJobState(view(JobStatus.SUCCEEDED).toBuilder()
			.spec(new JobSpec("c", "command", "true", null, null, null, null))
			.build());

		assertThat(this.jobDir.resolve("checkpoints/global_step_1")).isDirectory();
	}

	private static void step(Path checkpoints, int step) throws IOException {
		Path folder = Files.createDirectories(checkpoints.resolve("global_step_" + step));
		Files.write(folder.resolve("data.pt"), new byte[7]);
	}

	private JobView view(JobStatus status) {
		JobSpec spec = new JobSpec("p", "ppo", null, null, null, null, null, null, null, new ModelSpec("/m"),
				new DataSpec(List.of("/d"), null), null, new CheckpointSpec(1, 1), null, null, null, null);
		return JobView.builder()
			.jobId("j1")
			.status(status)
			.jobDir(this.jobDir.toString())
			.dispatchedAt(Instant.EPOCH)
			.spec(spec)
			.build();
	}

}
