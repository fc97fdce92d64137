package io.raylane.api.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.raylane.topics.job.CheckpointSpec;
import io.raylane.topics.job.DataSpec;
import io.raylane.topics.job.JobSpec;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.job.ModelSpec;

/**
 * Fixtures of the cleanup tests: job views, and job directories laid out as the submitter
 * and verl write them ({@code config/}, {@code logs/},
 * {@code checkpoints/global_step_<N>/} with a tracker), with files of known sizes.
 */
final class CleanupFixtures {

	static final Instant NOW = Instant.parse("2026-12-03T00:00:00Z");

	private CleanupFixtures() {
	}

	static JobView finished(String id, JobStatus status, Path jobDir) {
		return JobView.builder()
			.jobId(id)
			.user("alice")
			.pool("default")
			.status(status)
			.jobDir(jobDir.toString())
			.endedAt(NOW.minusSeconds(86400 * 30))
			.build();
	}

	/** A job queued to resume {@code from} at {@code step}. */
	static JobView resumer(String id, JobStatus status, String from, int step) {
		JobSpec spec = new JobSpec("p", "ppo", null, null, null, null, null, null, null, new ModelSpec("/m"),
				new DataSpec(List.of("/d"), null), null, new CheckpointSpec(1, 1), null, null, null, null, from, step);
		return JobView.builder().jobId(id).user("alice").pool("default").status(status).spec(spec).build();
	}

	/**
	 * A job directory: config (100 bytes), logs (200), the given steps (1000 bytes each,
	 * in two files) and a tracker naming {@code latest}.
	 */
	static Path jobDir(Path root, String id, int latest, int... steps) throws IOException {
		Path dir = root.resolve("jobs").resolve(id);
		write(dir.resolve("config/jobspec.yaml"), 100);
		write(dir.resolve("logs/driver.log"), 200);
		for (int step : steps) {
			write(dir.resolve("checkpoints/global_step_" + step + "/actor/model.pt"), 600);
			write(dir.resolve("checkpoints/global_step_" + step + "/data.pt"), 400);
		}
		Files.createDirectories(dir.resolve("checkpoints"));
		Files.writeString(dir.resolve("checkpoints/latest_checkpointed_iteration.txt"), String.valueOf(latest));
		return dir;
	}

	static void write(Path file, int bytes) throws IOException {
		Files.createDirectories(file.getParent());
		Files.write(file, new byte[bytes]);
	}

}
