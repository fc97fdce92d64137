package io.raylane.observer;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.raylane.observer.attribution.Attribution;
import io.raylane.observer.attribution.DispatchedJobs;
import io.raylane.topics.job.JobStatus;
import io.raylane.topics.job.JobView;

/**
 * Test builders of the observer's attribution: which Ray jobs count as Raylane's own
 * submissions.
 */
public final class Attributions {

	private Attributions() {
	}

	/** Raylane dispatched these jobs, for {@code user} in {@code pool}. */
	public static Attribution dispatched(String user, String pool, String... jobIds) {
		DispatchedJobs jobs = new DispatchedJobs(Duration.ofDays(7));
		for (String id : jobIds) {
			jobs.apply(dispatchedView(id, user, pool), Instant.EPOCH);
		}
		return new Attribution(jobs::get, (verdict, job) -> {
		});
	}

	/**
	 * For tests about something else: every Ray job that claims a job id (under that
	 * submission id) is taken as dispatched by Raylane, for {@code user} in {@code pool}.
	 */
	public static Attribution everyClaim(String user, String pool) {
		DispatchedJobs.Dispatched dispatched = new DispatchedJobs.Dispatched(user, pool, null);
		return new Attribution((id) -> Optional.of(dispatched), (verdict, job) -> {
		});
	}

	public static JobView dispatchedView(String jobId, String user, String pool) {
		return JobView.builder()
			.jobId(jobId)
			.user(user)
			.pool(pool)
			.status(JobStatus.DISPATCHED)
			.dispatchedAt(Instant.EPOCH)
			.updatedAt(Instant.EPOCH)
			.build();
	}

}
