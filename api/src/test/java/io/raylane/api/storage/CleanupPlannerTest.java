package io.raylane.api.storage;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.raylane.api.storage.CleanupCriteria.Keep;
import io.raylane.api.storage.JobDirListing.Kind;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the cleanup plans for one job (issue 16): protected checkpoints are never planned,
 * links are not followed, a directory outside the shared root is refused.
 */
class CleanupPlannerTest {

	static final Path ROOT = Path.of("/shared");

	static final Keep DEFAULT = CleanupCriteria.DEFAULT_KEEP;

	static JobView job(JobStatus status, String dir) {
		return JobView.builder().jobId("rl-1").status(status).jobDir(dir).build();
	}

	static JobDirListing dir(Map<String, Kind> checkpoints, Integer latest) {
		return new JobDirListing(Kind.DIRECTORY,
				Map.of("config", Kind.DIRECTORY, "logs", Kind.DIRECTORY, "checkpoints", Kind.DIRECTORY), checkpoints,
				latest);
	}

	static Map<String, Kind> steps(int... steps) {
		Map<String, Kind> entries = new java.util.HashMap<>();
		for (int step : steps) {
			entries.put("global_step_" + step, Kind.DIRECTORY);
		}
		entries.put("latest_checkpointed_iteration.txt", Kind.FILE);
		return entries;
	}

	static Stream<Arguments> plans() {
		String dir = "/shared/jobs/rl-1";
		return Stream.of(
				Arguments.of("by default keeps config, logs and the last checkpoint", job(JobStatus.SUCCEEDED, dir),
						dir(steps(10, 20, 30), 30), Set.of(), DEFAULT,
						List.of("checkpoints/global_step_10", "checkpoints/global_step_20"),
						List.of("checkpoints/global_step_30", "logs", "config"), null),
				Arguments.of("never a step a queued job resumes from", job(JobStatus.FAILED, dir),
						dir(steps(10, 20, 30), 30), Set.of(10), DEFAULT, List.of("checkpoints/global_step_20"),
						List.of("checkpoints/global_step_10", "checkpoints/global_step_30", "logs", "config"), null),
				Arguments.of("keeping none still keeps the pinned step", job(JobStatus.STOPPED, dir),
						dir(steps(10, 20, 30), 30), Set.of(20), new Keep(0, true, true),
						List.of("checkpoints/global_step_10", "checkpoints/global_step_30"),
						List.of("checkpoints/global_step_20", "logs", "config"), null),
				Arguments.of("keeps the tracked step beside the newest", job(JobStatus.TIMED_OUT, dir),
						dir(steps(10, 20, 30), 10), Set.of(), DEFAULT, List.of("checkpoints/global_step_20"),
						List.of("checkpoints/global_step_10", "checkpoints/global_step_30", "logs", "config"), null),
				Arguments.of("keep asks for more checkpoints", job(JobStatus.SUCCEEDED, dir),
						dir(steps(10, 20, 30), 30), Set.of(), new Keep(2, true, true),
						List.of("checkpoints/global_step_10"),
						List.of("checkpoints/global_step_20", "checkpoints/global_step_30", "logs", "config"), null),
				Arguments.of("keep asks for less: logs and config go too", job(JobStatus.SUCCEEDED, dir),
						dir(steps(10), 10), Set.of(), new Keep(1, false, false), List.of("logs", "config"),
						List.of("checkpoints/global_step_10"), null),
				Arguments.of("a link named like a step is not a checkpoint", job(JobStatus.SUCCEEDED, dir),
						dir(Map.of("global_step_5", Kind.LINK, "global_step_9", Kind.DIRECTORY), 9), Set.of(),
						new Keep(0, true, true), List.of("checkpoints/global_step_9"), List.of("logs", "config"), null),
				Arguments.of("a checkpoints link is not followed", job(JobStatus.SUCCEEDED, dir),
						new JobDirListing(Kind.DIRECTORY, Map.of("checkpoints", Kind.LINK, "logs", Kind.LINK), Map.of(),
								null),
						Set.of(), new Keep(0, false, true), List.of("logs"), List.of("checkpoints"), null),
				Arguments.of("a running job is refused", job(JobStatus.RUNNING, dir), dir(steps(10, 20), 20), Set.of(),
						DEFAULT, List.of(), List.of(), "job is RUNNING: only finished jobs are cleaned up"),
				Arguments.of("a directory outside the shared root is refused", job(JobStatus.SUCCEEDED, "/etc"),
						dir(steps(10, 20), 20), Set.of(), DEFAULT, List.of(), List.of(),
						"job directory '/etc' is not inside /shared/jobs/: refused"),
				Arguments.of("a directory climbing out with .. is refused",
						job(JobStatus.SUCCEEDED, "/shared/jobs/../../etc"), dir(steps(10, 20), 20), Set.of(), DEFAULT,
						List.of(), List.of(),
						"job directory '/shared/jobs/../../etc' is not inside /shared/jobs/: refused"),
				Arguments.of("the jobs folder itself is refused", job(JobStatus.SUCCEEDED, "/shared/jobs"),
						dir(steps(10, 20), 20), Set.of(), DEFAULT, List.of(), List.of(),
						"job directory '/shared/jobs' is not inside /shared/jobs/: refused"),
				Arguments.of("a job directory that is a link is refused", job(JobStatus.SUCCEEDED, dir),
						JobDirListing.of(Kind.LINK), Set.of(), DEFAULT, List.of(), List.of(),
						"job directory is a symbolic link or lies behind one: links are not followed"),
				Arguments.of("a directory already gone plans nothing", job(JobStatus.SUCCEEDED, dir),
						JobDirListing.of(Kind.MISSING), Set.of(), DEFAULT, List.of(), List.of(), null));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource
	void plans(String scenario, JobView view, JobDirListing listing, Set<Integer> pinned, Keep keep,
			List<String> wantDeleted, List<String> wantKept, String wantRefused) {
		JobPlan plan = CleanupPlanner.plan(view, listing, pinned, keep, ROOT);

		assertThat(plan.delete()).containsExactlyInAnyOrderElementsOf(wantDeleted);
		assertThat(plan.kept()).containsExactlyInAnyOrderElementsOf(wantKept);
		assertThat(plan.refused()).isEqualTo(wantRefused);
		assertThat(plan.delete()).noneMatch((path) -> pinned.stream().anyMatch((s) -> path.endsWith("_" + s)));
	}

}
