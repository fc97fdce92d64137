package io.raylane.api.storage;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.raylane.api.SnapshotTopicReader;
import io.raylane.api.audit.AuditPublisher;
import io.raylane.api.jobs.JobViewStore;
import io.raylane.api.storage.CleanupResponse.JobResult;
import io.raylane.topics.job.JobView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The disk policy that runs by itself (issue 16): every
 * {@code raylane.storage.policy-interval} (1h), the finished jobs of each pool older than
 * its policy are cleaned by the same {@link ArtifactCleanup} as
 * {@code POST /v1/ops/cleanup_job_artifacts} ({@link PolicyRuns} says which). Runs in the
 * API because the API holds what the planner needs: the job view with the resume pins,
 * its readiness, the shared root mount and the audit publisher. It skips a run until the
 * job view has caught up with {@code raylane.job-states} (a pin not yet read must not be
 * missed). Each job it freed something of is audited as the actor {@code disk-policy}.
 * Several API replicas may each run it: a second run finds nothing left to delete.
 */
@Component
class DiskPolicy implements SmartLifecycle {

	static final String ACTOR = "disk-policy";

	private static final Logger log = LoggerFactory.getLogger(DiskPolicy.class);

	private final ArtifactCleanup cleanup;

	private final JobViewStore jobs;

	private final BooleanSupplier caughtUp;

	private final Auditor audit;

	private final StorageProperties properties;

	private final Clock clock;

	private volatile ScheduledExecutorService executor;

	/** Where the policy's audit records go ({@code AuditPublisher::record}). */
	@FunctionalInterface
	interface Auditor {

		void record(String user, String action, String subject, String outcome, String remote);

	}

	@Autowired
	DiskPolicy(ArtifactCleanup cleanup, JobViewStore jobs, SnapshotTopicReader<JobView> reader, AuditPublisher audit,
			StorageProperties properties, Clock clock) {
		this(cleanup, jobs, reader::caughtUp, audit::record, properties, clock);
	}

	/**
	 * @param caughtUp whether the job view has caught up with {@code raylane.job-states}
	 */
	DiskPolicy(ArtifactCleanup cleanup, JobViewStore jobs, BooleanSupplier caughtUp, Auditor audit,
			StorageProperties properties, Clock clock) {
		this.cleanup = cleanup;
		this.jobs = jobs;
		this.caughtUp = caughtUp;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * One run: nothing while the job view catches up.
	 * @return the bytes freed
	 */
	long runOnce() {
		if (!this.caughtUp.getAsBoolean()) {
			log.info("disk policy skipped: the job view is still reading raylane.job-states");
			return 0;
		}
		long freed = 0;
		for (CleanupCriteria run : PolicyRuns.plan(this.jobs.snapshot(), this.properties, this.clock.instant())) {
			for (JobResult job : this.cleanup.run(run).jobs()) {
				if (!job.deleted().isEmpty()) {
					freed += job.bytesFreed();
					this.audit.record(ACTOR, "cleanup_job_artifacts", job.jobId(),
							"freed " + job.bytesFreed() + " bytes: " + job.deleted(), "local");
				}
			}
		}
		if (freed > 0) {
			log.info("disk policy freed {} bytes", freed);
		}
		return freed;
	}

	private void runSafely() {
		try {
			runOnce();
		}
		catch (RuntimeException ex) {
			// never let the schedule die: the next run retries
			log.warn("disk policy run failed", ex);
		}
	}

	@Override
	public void start() {
		ScheduledExecutorService scheduled = Executors.newSingleThreadScheduledExecutor((r) -> {
			Thread thread = new Thread(r, "raylane-api-disk-policy");
			thread.setDaemon(true);
			return thread;
		});
		long every = this.properties.policyInterval().toMillis();
		// the first run a few minutes after start (or sooner for a short interval), so a
		// frequently restarted API still runs it
		long first = Math.min(every, TimeUnit.MINUTES.toMillis(5));
		scheduled.scheduleWithFixedDelay(this::runSafely, first, every, TimeUnit.MILLISECONDS);
		this.executor = scheduled;
	}

	@Override
	public void stop() {
		ScheduledExecutorService scheduled = this.executor;
		if (scheduled != null) {
			scheduled.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

}
