package io.raylane.api.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.raylane.api.jobs.JobViewStore;
import io.raylane.api.storage.CleanupResponse.JobResult;
import io.raylane.api.storage.CleanupSelection.Selected;
import io.raylane.jobspec.checkpoint.ResumePins;
import io.raylane.support.RaylaneSettings;
import io.raylane.topics.job.JobView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Cleans up the artifacts of finished jobs (issue 16): selects jobs from the API's view
 * of {@code raylane.job-states} ({@link JobViewStore}), takes the resume pins of the jobs
 * queued or running there ({@link ResumePins}, the rule the submitter's retention keeps
 * too), plans each job ({@link CleanupPlanner}) and deletes or measures what was planned
 * ({@link JobDirs}). Used by the cleanup endpoint and the {@link DiskPolicy}; one cleanup
 * at a time. Idempotent: what is gone is not planned again.
 */
@Component
class ArtifactCleanup {

	private static final Logger log = LoggerFactory.getLogger(ArtifactCleanup.class);

	private final JobViewStore jobs;

	private final Path root;

	private final Clock clock;

	@Autowired
	ArtifactCleanup(JobViewStore jobs, RaylaneSettings settings, Clock clock) {
		this(jobs, settings.shared().root(), clock);
	}

	ArtifactCleanup(JobViewStore jobs, Path root, Clock clock) {
		this.jobs = jobs;
		this.root = root.toAbsolutePath().normalize();
		this.clock = clock;
	}

	/** Cleans up (or, in a dry run, measures) the jobs {@code criteria} selects. */
	synchronized CleanupResponse run(CleanupCriteria criteria) {
		// 1. the view and its pins, at once
		List<JobView> views = this.jobs.snapshot();
		ResumePins pins = ResumePins.of(views);
		// 2. each selected job: plan, then apply
		List<JobResult> results = new ArrayList<>();
		long total = 0;
		for (Selected selected : CleanupSelection.select(views, criteria, this.clock.instant())) {
			JobResult result = (selected.view() == null)
					? new JobResult(selected.jobId(), 0, List.of(), List.of(), "no such job", null)
					: clean(selected.view(), pins, criteria.keep(), criteria.dryRun());
			total += result.bytesFreed();
			results.add(result);
		}
		return new CleanupResponse(criteria.dryRun(), total, results);
	}

	private JobResult clean(JobView view, ResumePins pins, CleanupCriteria.Keep keep, boolean dryRun) {
		JobPlan plan = plan(view, pins, keep);
		if (plan.refused() != null || plan.delete().isEmpty()) {
			return new JobResult(view.jobId(), 0, List.of(), plan.kept(), plan.refused(), null);
		}
		Path dir = Path.of(plan.jobDir());
		long bytes = 0;
		List<String> deleted = new ArrayList<>();
		List<String> errors = new ArrayList<>();
		for (String relative : plan.delete()) {
			Path path = dir.resolve(relative).normalize();
			if (!path.startsWith(dir) || path.equals(dir)) {
				errors.add(relative + ": not inside the job directory");
				continue;
			}
			try {
				bytes += JobDirs.remove(path, dryRun);
				deleted.add(relative);
			}
			catch (IOException ex) {
				errors.add(relative + ": " + ex.getMessage());
				log.warn("cleanup of {}: cannot delete {}: {}", view.jobId(), path, ex.toString());
			}
		}
		if (!dryRun && !deleted.isEmpty()) {
			log.info("cleanup of {}: deleted {}, freed {} bytes", view.jobId(), deleted, bytes);
		}
		return new JobResult(view.jobId(), bytes, deleted, plan.kept(), null, errors.isEmpty() ? null : errors);
	}

	private JobPlan plan(JobView view, ResumePins pins, CleanupCriteria.Keep keep) {
		JobDirListing listing;
		Path dir = CleanupPlanner.inside(view.jobDir(), this.root.resolve("jobs"));
		try {
			listing = (dir != null) ? JobDirs.list(this.root, dir) : JobDirListing.of(JobDirListing.Kind.MISSING);
		}
		catch (IOException ex) {
			return JobPlan.refuse(view.jobId(), view.jobDir(), "job directory cannot be read: " + ex.getMessage());
		}
		return CleanupPlanner.plan(view, listing, pins.of(view.jobId()), keep, this.root);
	}

}
