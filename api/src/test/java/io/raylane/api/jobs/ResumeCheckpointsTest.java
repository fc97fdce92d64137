package io.raylane.api.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.raylane.api.jobs.ResumeRules.Checkpoints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link ResumeCheckpoints} reads of a job's checkpoints folder on disk. */
class ResumeCheckpointsTest {

	@TempDir
	Path dir;

	@Test
	void shouldReadTheTrackerAndTheRealStepFolders() throws IOException {
		Path checkpoints = Files.createDirectories(this.dir.resolve("checkpoints"));
		Files.createDirectories(checkpoints.resolve("global_step_10/actor"));
		Files.createDirectories(checkpoints.resolve("global_step_20"));
		Files.createDirectories(checkpoints.resolve("not_a_step"));
		Files.writeString(checkpoints.resolve("global_step_30"), "a file, not a folder");
		Files.createSymbolicLink(checkpoints.resolve("global_step_40"), checkpoints.resolve("global_step_10"));
		Files.writeString(checkpoints.resolve(ResumeCheckpoints.TRACKER), "20\n");

		assertThat(ResumeCheckpoints.read(checkpoints)).isEqualTo(new Checkpoints(20, java.util.Set.of(10, 20)));
	}

	@Test
	void shouldFindNothingWithoutAFolderOrAReadableTracker() throws IOException {
		assertThat(ResumeCheckpoints.read(this.dir.resolve("missing")).steps()).isEmpty();
		assertThat(ResumeCheckpoints.read(this.dir.resolve("missing")).latest()).isNull();
		Path checkpoints = Files.createDirectories(this.dir.resolve("checkpoints"));
		Files.createDirectories(checkpoints.resolve("global_step_5"));
		Files.writeString(checkpoints.resolve(ResumeCheckpoints.TRACKER), "five");

		assertThat(ResumeCheckpoints.read(checkpoints)).isEqualTo(new Checkpoints(null, java.util.Set.of(5)));
	}

}
