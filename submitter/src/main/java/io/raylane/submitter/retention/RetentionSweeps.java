package io.raylane.submitter.retention;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.raylane.jobspec.checkpoint.ResumePins;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;
import io.raylane.topics.job.Workload;

/**
 * Runs checkpoint retention for the jobs the submitter sees on
 * {@code raylane.job-states}: a verl job that holds GPUs is swept periodically
 * ({@link #sweepRunning()}), and once more when it ends, then forgotten. A step that a
 * queued or running job resumes from is never deleted ({@link ResumePins}). Reports what
 * it freed in the log and as the counters {@code raylane_checkpoint_freed_bytes_total}
 * and {@code raylane_checkpoint_folders_deleted_total}.
 */
public final class RetentionSweeps {

	/** keep_last when a spec has none (JobSpec v1 default). */
	public static final int DEFAULT_KEEP_LAST = 3;

	private final CheckpointSweeper sweeper;

	private final Map<String, Tracked> running = new ConcurrentHashMap<>();

	private final ResumePins pins = new ResumePins();

	private final Counter freedBytes;

	private final Counter deletedFolders;

	public RetentionSweeps(CheckpointSweeper sweeper, MeterRegistry meters) {
		this.sweeper = sweeper;
		this.freedBytes = Counter.builder("raylane.checkpoint.freed.bytes")
			.description("bytes of checkpoints deleted by retention")
			.register(meters);
		this.deletedFolders = Counter.builder("raylane.checkpoint.folders.deleted")
			.description("global_step folders deleted by retention")
			.register(meters);
	}

	/**
	 * Follows one JobView: pin the step a queued or running job resumes from, start
	 * tracking a running verl job, sweep one that ended.
	 */
	public void onJobState(JobView view) {
		if (view.jobId() == null || view.status() == null) {
			return;
		}
		this.pins.onJobState(view);
		if (view.jobDir() == null || !isVerl(view)) {
			return;
		}
		Tracked tracked = new Tracked(view.jobId(), Path.of(view.jobDir()).resolve("checkpoints"), keepLast(view));
		if (view.status().isTerminal()) {
			this.running.remove(view.jobId());
			if (view.dispatchedAt() != null) {
				sweep(tracked);
			}
		}
		else if (view.status() == JobStatus.RUNNING) {
			this.running.put(view.jobId(), tracked);
		}
	}

	/** One periodic pass over the running jobs. */
	public List<SweepResult> sweepRunning() {
		return this.running.values().stream().map(this::sweep).toList();
	}

	int tracked() {
		return this.running.size();
	}

	private SweepResult sweep(Tracked job) {
		SweepResult result = this.sweeper.sweep(job.jobId(), job.checkpoints(), job.keepLast(),
				this.pins.of(job.jobId()));
		this.freedBytes.increment(result.freedBytes());
		this.deletedFolders.increment(result.deleted().size());
		return result;
	}

	private static boolean isVerl(JobView view) {
		String workload = (view.spec() != null) ? view.spec().workload() : view.workload();
		return Workload.parse(workload).filter(Workload::verl).isPresent();
	}

	static int keepLast(JobView view) {
		Integer keep = (view.spec() != null && view.spec().checkpoint() != null) ? view.spec().checkpoint().keepLast()
				: null;
		return (keep != null && keep > 0) ? keep : DEFAULT_KEEP_LAST;
	}

	private record Tracked(String jobId, Path checkpoints, int keepLast) {
	}

}
